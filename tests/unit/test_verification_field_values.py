"""A field's value as frappe would store it (verification/field_values.py): the input guard's rules."""

import pytest
from charity_beneficiary.verification import VerificationError
from charity_beneficiary.verification.field_values import check_value


@pytest.mark.parametrize("value", [-1, "-500", -0.01])
def test_a_non_negative_field_refuses_a_negative_number(value):
	with pytest.raises(VerificationError) as info:
		check_value("Currency", value, non_negative=True)
	assert str(info.value) == "must not be negative"


@pytest.mark.parametrize(("value", "stored"), [(0, 0), ("500", 500), (12.5, 12.5), (None, None), ("", "")])
def test_a_non_negative_field_keeps_zero_positive_and_empty(value, stored):
	assert check_value("Currency", value, non_negative=True) == stored


def test_a_negative_number_is_kept_where_the_field_allows_it():
	assert check_value("Currency", "-500") == -500
