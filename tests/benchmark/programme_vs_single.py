"""Seasonal programme in bulk vs single cash disbursements (issue 11, R6.2): prints both rates and the
ratio (goal ≥ 5×). Figures are printed, never asserted.

    cd /work/main/sites && ../env/bin/python ../tests/benchmark/programme_vs_single.py --site SITE --n 10000

What is timed, for the same N households:
- single: N `Aid Disbursement` insert+submit (each with its Journal Entry) of N requests already
  approved (the requests are made before the clock starts);
- bulk: the run of one approved programme of N households (`programmes.run.execute`): its N
  approved requests, one Journal Entry per batch, the lines, the notices and survey invitations.
The data is committed to SITE: use a benchmark site, never the test site others share.
"""

import argparse
import time


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--n", type=int, default=300)
	parser.add_argument("--batch", type=int, default=200)
	args = parser.parse_args()

	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.in_test = True  # no outgoing mail from a benchmark
	try:
		single, bulk = measure(args.n, args.batch)
	finally:
		frappe.destroy()
	print(f"single cash disbursements: {single:8.1f} beneficiaries/s")
	print(f"programme run (bulk):      {bulk:8.1f} beneficiaries/s")
	print(f"ratio bulk/single:         {bulk / single:8.2f}x  (goal >= 5x)")


def measure(n: int, batch: int) -> tuple[float, float]:
	import frappe
	from charity_beneficiary.disbursement.defaults import get_defaults
	from charity_beneficiary.programmes import run
	from charity_beneficiary.tests.factories import (
		make_active_beneficiary,
		make_aid_service,
		make_approved_request,
		make_branch,
		make_disbursement,
	)
	from charity_beneficiary.tests.users import role_user
	from frappe.utils import add_days, today

	tag = frappe.generate_hash(length=5)
	branch = make_branch(f"فرع القياس {tag}")
	single_service = make_aid_service(f"نقدية مفردة (قياس {tag})", max_amount=0).name
	bulk_service = make_aid_service(f"سلة موسمية (قياس {tag})", max_amount=0).name
	people = [
		make_active_beneficiary(
			branch=branch,
			beneficiary_name=f"مستفيد قياس {tag} {i}",
			date_of_birth=f"19{50 + i % 50}-01-01",
		).name
		for i in range(n)
	]
	frappe.db.commit()

	requests = [make_approved_request(p, single_service, approved_amount=500).name for p in people]
	frappe.db.commit()
	started = time.perf_counter()
	for request in requests:
		make_disbursement(request, submit=True, amount=500)
		frappe.db.commit()
	single = n / (time.perf_counter() - started)

	manager, committee = (
		role_user("Charity Manager"),
		role_user("Research Committee Member"),
	)
	frappe.set_user(manager)
	programme = frappe.get_doc(
		{
			"doctype": "Aid Programme",
			"title": f"قياس {tag}",
			"from_date": today(),
			"to_date": add_days(today(), 30),
			"aid_service": bulk_service,
			"charity_fund": get_defaults().default_fund,
			"branches": [{"branch": branch}],
			"entitlement_basis": "Fixed Amount",
			"amount": 500,
			"batch_size": batch,
		}
	).insert()
	programme.fill_lines()
	programme.save()
	programme.submit()
	frappe.set_user(committee)
	frappe.get_doc(
		{
			"doctype": "Research Committee Meeting",
			"quorum": 1,
			"members": [{"member": committee, "attended": 1}],
			"agenda": [{"aid_programme": programme.name, "decision": "Approved"}],
			"votes": [{"aid_programme": programme.name, "member": committee, "vote": "For"}],
		}
	).insert().submit()
	frappe.db.commit()
	frappe.set_user("Administrator")
	started = time.perf_counter()
	run.execute(programme.name)
	bulk = n / (time.perf_counter() - started)
	return single, bulk


if __name__ == "__main__":
	main()
