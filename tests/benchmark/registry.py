"""Benchmark of the beneficiary registry on a site of its own (figures printed, nothing asserted).

        tests/benchmark/run --setup-only        # makes bench.localhost once
        cd sites && ../env/bin/python ../tests/benchmark/registry.py --site bench.localhost --size 100000

Tops the registry up to --size synthetic beneficiaries with the benchmark's generator (bulk insert:
branches and statuses spread, collision-free checksum-valid IDs; see generator.py), each with one
family member, then times what an officer waits for: registering one beneficiary through the
controller (ID, mobile, IBAN checks, duplicate-ID checks across households, fuzzy duplicate
flagging), reading one by ID, and a city-filtered list. --cleanup removes the synthetic rows.
"""

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

import frappe

sys.path.insert(0, str(Path(__file__).parent))
import generator

# IDs of the beneficiaries registered through the controller: a counter range the generator never
# uses (it counts from 0), so a run never meets an ID already on the site
REGISTERED_IDS = itertools.count(7_000_000 + random.randrange(0, 1_000_000, 1000))


NAMES = generator.Names()


def national_id() -> str:
	return generator.bench_id("1", next(REGISTERED_IDS))


def top_up(size: int) -> None:
	started = time.perf_counter()
	generator.ensure_masters()
	generator.load_beneficiaries(size, generator.Names())
	have = generator.existing("Beneficiary Family Member", "F")
	now = frappe.utils.now()
	for start in range(have, size, generator.BATCH):
		members = [
			(generator.row_name("F", n), now, now, "Administrator", "Administrator", generator.row_name("B", n),
				"family_members", "Beneficiary", 1, "علي", "Son", "Iqama", generator.bench_id("2", n))
			for n in range(start, min(start + generator.BATCH, size))
		]  # fmt: skip
		generator.insert(
			"Beneficiary Family Member",
			["name", "creation", "modified", "owner", "modified_by", "parent", "parentfield", "parenttype",
				"idx", "member_name", "relation", "id_type", "id_number"],
			members,
		)  # fmt: skip
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
			"beneficiary_name": NAMES.of(random.randrange(10**6)),
			"id_type": "National ID",
			"id_number": national_id(),
			"date_of_birth": f"{random.randint(1940, 2005)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
			"mobile_no": "050" + "".join(random.choices("0123456789", k=7)),
			"bank_iban": "SA0380000000608010167519",
			"city": generator.BRANCHES[0],
			"family_members": [{"member_name": "علي", "relation": "Son", "id_number": national_id()}],
		}
	).insert()
	frappe.db.rollback()


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="bench.localhost")
	parser.add_argument("--size", type=int, default=100_000)
	parser.add_argument("--repeat", type=int, default=50)
	parser.add_argument("--cleanup", action="store_true")
	args = parser.parse_args()
	if args.site in ("test.localhost", "charity.localhost"):
		sys.exit("the benchmark needs a site of its own")
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.cleanup:
			frappe.db.delete("Beneficiary Family Member", {"parent": ("like", "BENCH-%")})
			frappe.db.delete("Beneficiary", {"name": ("like", "BENCH-%")})
			frappe.db.commit()
			print("synthetic rows removed")
			return
		top_up(args.size)
		total = frappe.db.count("Beneficiary")
		print(
			f"registry size: {total} beneficiaries, {frappe.db.count('Beneficiary Family Member')} family members"
		)
		sample = frappe.db.get_value("Beneficiary", generator.row_name("B", 0), "id_number")
		timed(
			"register one beneficiary (all checks, rolled back)",
			register_one,
			args.repeat,
		)
		timed(
			"read one by ID number",
			lambda: frappe.db.get_value("Beneficiary", {"id_number": sample}),
			args.repeat,
		)
		timed(
			"list 20 applicants of a city (get_list)",
			lambda: frappe.get_list(
				"Beneficiary",
				filters={"city": generator.BRANCHES[0], "status": "Applicant"},
				limit=20,
			),
			args.repeat,
		)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
