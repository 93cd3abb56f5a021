"""Benchmark of the beneficiary registry on a real site (figures printed, nothing asserted).

	cd sites && ../env/bin/python ../tests/benchmark/registry.py --site test.localhost --size 100000

Tops the registry up to --size synthetic beneficiaries (bulk insert, with one family member
each; safe to re-run: it only adds what is missing, tagged city "BENCH"), then times what an
officer waits for: registering one beneficiary through the controller (ID, mobile, IBAN checks,
duplicate-ID checks across households, fuzzy duplicate flagging), reading one by ID, and a
branch-filtered list. Use a dedicated site for large sizes; --cleanup removes the synthetic rows.
"""

import argparse
import random
import statistics
import time

import frappe
from frappe.utils import random_string
from stdnum import luhn

BENCH_CITY = "BENCH"
NAMES = ["محمد", "أحمد", "علي", "حسن", "فاطمة", "زينب", "مريم", "عبدالله", "خالد", "نورة", "سارة", "يوسف"]
FAMILIES = ["الغامدي", "الزهراني", "القحطاني", "آل سالم", "الشيخ", "الخاطر", "اليامي", "الدوسري", "الحربي"]


def national_id() -> str:
	payload = "1" + "".join(random.choices("0123456789", k=8))
	return payload + luhn.calc_check_digit(payload)


def top_up(size: int, batch: int = 5000) -> None:
	have = frappe.db.count("Beneficiary", {"city": BENCH_CITY})
	missing = size - have
	print(f"synthetic beneficiaries: {have}, adding {max(missing, 0)}")
	started = time.perf_counter()
	now = frappe.utils.now()
	while missing > 0:
		n = min(batch, missing)
		parents, members = [], []
		for _ in range(n):
			name = "BENCH-" + random_string(12)
			dob = f"{random.randint(1940, 2005)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
			full = f"{random.choice(NAMES)} {random.choice(NAMES)} {random.choice(FAMILIES)}"
			parents.append(
				(name, now, now, "Administrator", "Administrator", full, "National ID", national_id(), dob,
				 "+9665" + "".join(random.choices("0123456789", k=8)), BENCH_CITY, "Applicant", 2)
			)
			members.append(
				(random_string(10), now, now, "Administrator", "Administrator", name, "family_members", "Beneficiary",
				 1, random.choice(NAMES), "Son", "National ID", national_id())
			)
		frappe.db.bulk_insert(
			"Beneficiary",
			["name", "creation", "modified", "owner", "modified_by", "beneficiary_name", "id_type", "id_number",
			 "date_of_birth", "mobile_no", "city", "status", "household_size"],
			parents,
			ignore_duplicates=True,
		)
		frappe.db.bulk_insert(
			"Beneficiary Family Member",
			["name", "creation", "modified", "owner", "modified_by", "parent", "parentfield", "parenttype", "idx",
			 "member_name", "relation", "id_type", "id_number"],
			members,
			ignore_duplicates=True,
		)
		frappe.db.commit()
		missing -= n
	print(f"  loaded in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn, repeat: int) -> None:
	times = []
	for _ in range(repeat):
		t = time.perf_counter()
		fn()
		times.append((time.perf_counter() - t) * 1000)
	times.sort()
	p95 = times[max(0, int(len(times) * 0.95) - 1)]
	print(f"{label:<48} n={repeat:<4} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def register_one():
	frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"beneficiary_name": f"{random.choice(NAMES)} {random.choice(NAMES)} {random.choice(FAMILIES)}",
			"id_type": "National ID",
			"id_number": national_id(),
			"date_of_birth": f"{random.randint(1940, 2005)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
			"mobile_no": "050" + "".join(random.choices("0123456789", k=7)),
			"bank_iban": "SA0380000000608010167519",
			"city": BENCH_CITY,
			"family_members": [{"member_name": "علي", "relation": "Son", "id_number": national_id()}],
		}
	).insert()
	frappe.db.rollback()


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="test.localhost")
	parser.add_argument("--size", type=int, default=100_000)
	parser.add_argument("--repeat", type=int, default=50)
	parser.add_argument("--cleanup", action="store_true")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.cleanup:
			frappe.db.sql("delete from `tabBeneficiary Family Member` where parent like 'BENCH-%%'")
			frappe.db.sql("delete from `tabBeneficiary` where name like 'BENCH-%%'")
			frappe.db.commit()
			print("synthetic rows removed")
			return
		top_up(args.size)
		total = frappe.db.count("Beneficiary")
		print(f"registry size: {total} beneficiaries, {frappe.db.count('Beneficiary Family Member')} family members")
		sample = frappe.db.get_value("Beneficiary", {"city": BENCH_CITY}, "id_number")
		timed("register one beneficiary (all checks, rolled back)", register_one, args.repeat)
		timed("read one by ID number", lambda: frappe.db.get_value("Beneficiary", {"id_number": sample}), args.repeat)
		timed(
			"list 20 applicants of a city (get_list)",
			lambda: frappe.get_list("Beneficiary", filters={"city": BENCH_CITY, "status": "Applicant"}, limit=20),
			args.repeat,
		)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
