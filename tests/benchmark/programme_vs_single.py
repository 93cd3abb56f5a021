"""Seasonal programme in bulk vs single cash disbursements (issue 11, R6.2): prints both rates and the
ratio (goal ≥ 5×). Figures are printed, never asserted.

    cd /work/main/sites && ../env/bin/python ../tests/benchmark/programme_vs_single.py --site SITE --n 10000

What is timed, for N households each way (2N beneficiaries, so the programme's households were not
served by the single path):
- single: N `Aid Disbursement` insert+submit (each with its Journal Entry), committed one by one, of N
  requests already approved (`--singles` times fewer of them when time is short: the rate is per
  second); each queues its survey invitation after its commit (not timed);
- bulk: the run of one approved programme of N households (`programmes.run.execute`): its N
  approved requests, one Journal Entry per batch, the lines; each batch queues the job of its notices
  and survey invitations (programmes/notify.py), which is run after the clock stops and timed apart.

Not timed: the data. One beneficiary and one approved request are made through the controllers, then
copied N times with `frappe.db.bulk_insert` (new names and ID numbers), as generator.py loads the
benchmark site: the registration and the request workflow are not what is measured here. The
programme is filled, submitted and approved through its controllers before the clock starts.

The data is committed to SITE: use a site of its own (a benchmark site, or a developer's own copy),
never the test site others share.

Last run, 2026-12-01, --n 10000 --batch 200 on a developer's copy of the test site (2-core VM, load
1-3): single 10,000 in 767 s (13.0 /s); programme run 10,000 in 25 s (401.7 /s); ratio 30.8x, the goal
of 5x met. Its notices job after it: 166 s (with it, 52 /s, 4.0x). Before the notices were queued and
Survey Invitation indexed on its request: 14.6 /s, 3.15x (tests/benchmark/README.md).
"""

import argparse
import time


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--n", type=int, default=300)
	parser.add_argument("--batch", type=int, default=200)
	parser.add_argument(
		"--singles",
		type=int,
		help="how many single disbursements to time (default --n); the rate is per second",
	)
	args = parser.parse_args()

	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.in_test = True  # no outgoing mail from a benchmark
	try:
		singles = args.singles or args.n
		single, bulk = measure(args.n, args.batch, singles)
	finally:
		frappe.destroy()
	print(f"single cash disbursements: {single:8.1f} beneficiaries/s  (timed over {singles:,})")
	print(f"programme run (bulk):      {bulk:8.1f} beneficiaries/s  (timed over {args.n:,})")
	print(f"ratio bulk/single:         {bulk / single:8.2f}x  (goal >= 5x)")


def measure(n: int, batch: int, singles: int) -> tuple[float, float]:
	import frappe
	from charity_beneficiary.disbursement.defaults import get_defaults
	from charity_beneficiary.disbursement.setup import setup_disbursement
	from charity_beneficiary.programmes import notify, run
	from charity_beneficiary.tests.factories import (
		make_active_beneficiary,
		make_aid_service,
		make_approved_request,
		make_branch,
		make_disbursement,
		make_meeting_as_members,
	)
	from charity_beneficiary.tests.users import role_user
	from frappe.utils import add_days, today

	tag = frappe.generate_hash(length=5).upper()
	setup_disbursement(get_defaults().company)
	branch = make_branch(f"فرع القياس {tag}")  # the programme's households, and only them
	single_branch = make_branch(f"فرع القياس المفرد {tag}")
	single_service = make_aid_service(f"نقدية مفردة (قياس {tag})", max_amount=0).name
	bulk_service = make_aid_service(f"سلة موسمية (قياس {tag})", max_amount=0).name
	frappe.db.commit()

	started = time.perf_counter()
	template = make_active_beneficiary(branch=single_branch, beneficiary_name=f"مستفيد قياس {tag}").name
	request = make_approved_request(template, single_service, approved_amount=500).name
	frappe.db.commit()
	base = 6_000_000 + frappe.db.count("Beneficiary", {"name": ("like", "PVS-%")})
	people = clone(
		"Beneficiary",
		template,
		2 * n,
		lambda i: {
			"name": f"PVS-{tag}-{i:06d}",
			"id_number": bench_id(base + i),
			"beneficiary_name": f"مستفيد قياس {tag} {i}",
			"mobile_no": None,
			"email_id": None,
			"user": None,
			"branch": single_branch if i < n else branch,
		},
	)
	single_people = people[:n]  # the other n are the programme's branch
	requests = clone(
		"Assistance Request",
		request,
		singles,
		lambda i: {
			"name": f"PVSR-{tag}-{i:06d}",
			"beneficiary": single_people[i],
			"beneficiary_name": f"مستفيد قياس {tag} {i}",
		},
	)
	print(
		f"data: {2 * n} beneficiaries and {singles} approved requests in {time.perf_counter() - started:.0f} s",
		flush=True,
	)

	started = time.perf_counter()
	for i, request in enumerate(requests[:singles], start=1):
		make_disbursement(request, submit=True, amount=500)
		frappe.db.commit()
		if i % 1000 == 0:
			print(f"  single: {i} in {time.perf_counter() - started:.0f} s", flush=True)
	single = singles / (time.perf_counter() - started)
	print(f"single: {singles} disbursements in {time.perf_counter() - started:.0f} s", flush=True)

	started = time.perf_counter()
	manager, committee = role_user("Charity Manager"), role_user("Research Committee Member")
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
	# two members, the association's smallest quorum by default; each records his own vote
	members = (committee, role_user("Research Committee Member", 2))
	frappe.set_user(committee)
	make_meeting_as_members(
		{
			"doctype": "Research Committee Meeting",
			"quorum": 2,
			"members": [{"member": member, "attended": 1} for member in members],
			"agenda": [{"aid_programme": programme.name, "decision": "Approved"}],
			"votes": [
				{"aid_programme": programme.name, "member": member, "vote": "For"} for member in members
			],
		}
	).submit()
	frappe.db.commit()
	print(
		f"programme {programme.name}: {programme.selected_count} households, approved in "
		f"{time.perf_counter() - started:.0f} s",
		flush=True,
	)
	frappe.set_user(role_user("Charity Accountant"))
	started = time.perf_counter()
	run.execute(programme.name)
	elapsed = time.perf_counter() - started
	paid = frappe.db.get_value("Aid Programme", programme.name, "paid_count")
	print(f"bulk: {paid} households paid in {elapsed:.0f} s", flush=True)
	started = time.perf_counter()
	told = notify.notify_programme(programme.name)  # the queued job, here (no worker), not timed
	print(
		f"programme notices (queued job, not in the rate): {told} households told and invited in "
		f"{time.perf_counter() - started:.0f} s",
		flush=True,
	)
	return single, paid / elapsed


def bench_id(counter: int) -> str:
	"""A checksum-valid Iqama number nobody else makes (generator.py's scheme, its own range)."""
	from generator import bench_id as make

	return make("2", counter)


def clone(doctype: str, template: str, n: int, vary) -> list[str]:
	"""`n` copies of the row `template` of `doctype` (no child rows), each changed by `vary(i)`."""
	import frappe

	row = frappe.db.get_value(doctype, template, "*", as_dict=True)
	fields = list(row)
	names = []
	for start in range(0, n, 5000):
		rows = []
		for i in range(start, min(start + 5000, n)):
			values = {**row, **vary(i)}
			names.append(values["name"])
			rows.append(tuple(values[field] for field in fields))
		frappe.db.bulk_insert(doctype, fields, rows)
		frappe.db.commit()
	return names


if __name__ == "__main__":
	main()
