"""The benchmark's synthetic charity (issue 14): beneficiaries over branches and statuses, requests
across every workflow state and two years of dates, disbursements with their ledger rows, and as many
ToDos as beneficiaries for frappe's own baseline list.

Bulk inserts (frappe.db.bulk_insert), because none of these documents' own rules is what is measured:
Beneficiary, Assistance Request, Aid Disbursement, GL Entry and ToDo rows are written directly, as a
migration would. What is measured goes through the controllers (the disbursements and journal entries
of the posting benchmark, see harness.py).

Every synthetic row is named BENCH-<kind><counter>; ID numbers are checksum-valid (Luhn) and made from
the same counter under a prefix nobody else uses ("19…" national IDs, "29…" Iqamas), so they never
collide with each other nor with anything already on the site. Re-running only tops up what is
missing. Names come from Faker ar_SA pools, picked from the counter, so a request carries the name of
its beneficiary without reading it back.
"""

import random
import time
from datetime import date, timedelta

import frappe
from charity_beneficiary.patches.v15_0 import set_disbursement_branch
from faker import Faker
from frappe.utils import add_days, getdate, now_datetime
from stdnum import luhn

BRANCHES = (
	"الرياض",
	"جدة",
	"مكة المكرمة",
	"المدينة المنورة",
	"الدمام",
	"أبها",
	"تبوك",
	"حائل",
)
STATUSES = {
	"Active": 55,
	"Applicant": 20,
	"Inactive": 10,
	"Rejected": 10,
	"Suspended": 5,
}
# workflow state -> (docstatus, weight): a realistic mix, most requests decided or paid
STATES = {
	"Draft": (0, 6),
	"Pending Verification": (1, 6),
	"Under Research": (1, 5),
	"Pending Committee": (1, 4),
	"Returned": (1, 2),
	"Approved": (1, 15),
	"Partly Approved": (1, 4),
	"Rejected": (1, 12),
	"Disbursed": (1, 42),
	"Cancelled": (2, 4),
}
PENDING = ("Pending Verification", "Under Research", "Pending Committee", "Returned")
SERVICES = ("مساعدة نقدية (قياس)", "سلة غذائية (قياس)", "علاج لدى مقدم خدمة (قياس)")
FUNDS = ("صندوق الزكاة (قياس)", "صندوق الصدقات (قياس)", "صندوق الأيتام (قياس)")
TYPES = ("Cash", "In-Kind", "Provider Service")
BATCH = 5000


def bench_id(kind: str, counter: int) -> str:
	"""A checksum-valid ID no one else makes: kind ("1" national ID, "2" Iqama), then 9, then the
	counter on 7 digits, then the Luhn digit."""
	payload = f"{kind}9{counter:07d}"
	return payload + luhn.calc_check_digit(payload)


def row_name(kind: str, counter: int) -> str:
	return f"BENCH-{kind}{counter:07d}"


class Names:
	"""Arabic full names from Faker ar_SA pools, the same for the same counter."""

	def __init__(self):
		fake = Faker("ar_SA")
		fake.seed_instance(14)
		self.first = sorted({fake.first_name() for _ in range(400)})
		self.last = sorted({fake.last_name() for _ in range(200)})

	def of(self, counter: int) -> str:
		first, father = (
			self.first[counter % len(self.first)],
			self.first[(counter // 7) % len(self.first)],
		)
		return f"{first} {father} {self.last[(counter // 3) % len(self.last)]}"


def pick(weights: dict, rng: random.Random):
	return rng.choices(
		list(weights),
		weights=[w if isinstance(w, int) else w[1] for w in weights.values()],
	)[0]


def branch_of(counter: int) -> str:
	return BRANCHES[(counter * 7919) % len(BRANCHES)]


def existing(doctype: str, kind: str) -> int:
	"""How many synthetic rows of a kind are there (their counters are 0..n-1)."""
	return frappe.db.count(doctype, {"name": ("like", f"BENCH-{kind}%")})


def insert(doctype: str, fields: list[str], rows: list[tuple]) -> None:
	frappe.db.bulk_insert(doctype, fields, rows, ignore_duplicates=True)
	frappe.db.commit()


def stamp(day: date, counter: int):
	"""A creation time on `day`, distinct per counter (lists sort on it)."""
	return f"{day.isoformat()} {(counter // 3600) % 24:02d}:{(counter // 60) % 60:02d}:{counter % 60:02d}.{counter % 1000000:06d}"


# --- masters ------------------------------------------------------------------------------------
def ensure_masters() -> dict:
	"""Branches, aid services and funds through their controllers (a few records)."""
	for branch in BRANCHES:
		if not frappe.db.exists("Branch", branch):
			frappe.get_doc({"doctype": "Branch", "branch": branch}).insert(ignore_permissions=True)
	for service, delivery in zip(SERVICES, TYPES, strict=True):
		if not frappe.db.exists("Aid Service", service):
			frappe.get_doc(
				{
					"doctype": "Aid Service",
					"service_name": service,
					"delivery_type": delivery,
					"requires_research": 0,
					"decision_days": 14,
					"max_amount": 100000,
					"is_active": 1,
				}
			).insert(ignore_permissions=True)
	for fund in FUNDS:
		if not frappe.db.exists("Charity Fund", fund):
			frappe.get_doc(
				{
					"doctype": "Charity Fund",
					"fund_name": fund,
					"fund_type": "General",
					"is_active": 1,
				}
			).insert(ignore_permissions=True)
	frappe.db.commit()
	return frappe._dict(frappe.get_single("Charity Settings").as_dict())


# --- bulk rows ----------------------------------------------------------------------------------
def load_beneficiaries(size: int, names: Names) -> None:
	have = existing("Beneficiary", "B")
	rng = random.Random(have)
	today = getdate()
	fields = [
		"name", "creation", "modified", "owner", "modified_by", "naming_series", "beneficiary_name",
		"id_type", "id_number", "gender", "date_of_birth", "mobile_no", "city", "branch", "status",
		"household_size",
	]  # fmt: skip
	for start in range(have, size, BATCH):
		rows = []
		for n in range(start, min(start + BATCH, size)):
			created = today - timedelta(days=rng.randint(0, 3 * 365))
			at = stamp(created, n)
			rows.append(
				(
					row_name("B", n), at, at, "Administrator", "Administrator", "BEN-.YYYY.-.#####",
					names.of(n), "National ID", bench_id("1", n), rng.choice(("Male", "Female")),
					date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)),
					f"05{rng.randint(0, 99999999):08d}", branch_of(n), branch_of(n),
					pick(STATUSES, rng), rng.randint(1, 9),
				)
			)  # fmt: skip
		insert("Beneficiary", fields, rows)


def load_requests(size: int, beneficiaries: int, names: Names) -> None:
	"""Requests across every state; pending ones received in the last two months (so the ageing
	report has every bucket), the others over two years."""
	have = existing("Assistance Request", "R")
	rng = random.Random(10_000_000 + have)
	today = getdate()
	fields = [
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "naming_series",
		"beneficiary", "beneficiary_name", "aid_service", "channel", "received_on",
		"expected_decision_date", "branch", "description", "requested_amount", "approved_amount",
		"workflow_state", "decision",
	]  # fmt: skip
	for start in range(have, size, BATCH):
		rows = []
		for n in range(start, min(start + BATCH, size)):
			state = pick(STATES, rng)
			docstatus = STATES[state][0]
			received = today - timedelta(days=rng.randint(0, 60 if state in PENDING else 730))
			beneficiary = rng.randrange(beneficiaries)
			amount = rng.randrange(500, 10000, 100)
			at = stamp(received, n)
			rows.append(
				(
					row_name("R", n), at, at, "Administrator", "Administrator", docstatus,
					"ASR-.YYYY.-.#####", row_name("B", beneficiary), names.of(beneficiary),
					SERVICES[n % len(SERVICES)], "In-person Interview", received,
					received + timedelta(days=14) if docstatus else None, branch_of(beneficiary),
					"طلب مساعدة (قياس)", amount,
					amount if state in ("Approved", "Partly Approved", "Disbursed") else 0, state,
					state if state in ("Approved", "Partly Approved", "Rejected") else None,
				)
			)  # fmt: skip
		insert("Assistance Request", fields, rows)


def load_disbursements(size: int, requests: int, gl_rows: int, settings: frappe._dict) -> None:
	"""Submitted disbursements of the last year with their ledger: per disbursement, the aid expense
	debit and the credit it balances, on a voucher named after it; then ledger rows of other vouchers
	on other accounts up to `gl_rows` in all (what Fund Utilisation must skip)."""
	have = existing("Aid Disbursement", "D")
	rng = random.Random(20_000_000 + have)
	today = getdate()
	expense = {
		"Cash": settings.cash_expense_account,
		"In-Kind": settings.in_kind_expense_account,
		"Provider Service": settings.service_expense_account,
	}
	links = {
		"Cash": "journal_entry",
		"In-Kind": "stock_entry",
		"Provider Service": "purchase_invoice",
	}
	vouchers = {
		"Cash": "Journal Entry",
		"In-Kind": "Stock Entry",
		"Provider Service": "Purchase Invoice",
	}
	d_fields = [
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "naming_series",
		"assistance_request", "disbursement_type", "company", "posting_date", "amount", "charity_fund",
		"journal_entry", "stock_entry", "purchase_invoice",
	]  # fmt: skip
	for start in range(have, size, BATCH):
		rows, gl = [], []
		for n in range(start, min(start + BATCH, size)):
			kind = TYPES[n % len(TYPES)]
			posted = today - timedelta(days=rng.randint(0, 364))
			amount = rng.randrange(200, 5000, 50)
			fund = FUNDS[rng.randrange(len(FUNDS))]
			voucher = row_name("V", n)
			at = stamp(posted, n)
			row = {
				"journal_entry": None,
				"stock_entry": None,
				"purchase_invoice": None,
				links[kind]: voucher,
			}
			rows.append(
				(
					row_name("D", n), at, at, "Administrator", "Administrator", 1, "AID-.YYYY.-.#####",
					row_name("R", rng.randrange(requests)), kind, settings.company, posted, amount, fund,
					row["journal_entry"], row["stock_entry"], row["purchase_invoice"],
				)
			)  # fmt: skip
			gl.append(
				gl_row(
					f"BENCH-G{2 * n:08d}",
					at,
					posted,
					expense[kind],
					amount,
					0,
					vouchers[kind],
					voucher,
					fund,
					settings,
				)
			)
			gl.append(
				gl_row(
					f"BENCH-G{2 * n + 1:08d}",
					at,
					posted,
					settings.paid_from_account,
					0,
					amount,
					vouchers[kind],
					voucher,
					fund,
					settings,
				)
			)
		insert("Aid Disbursement", d_fields, rows)
		insert("GL Entry", GL_FIELDS, gl)
	# each disbursement keeps its request's branch, as the controller sets it: set-based, as the patch
	set_disbursement_branch.execute()
	load_other_ledger(gl_rows - 2 * size, settings)


GL_FIELDS = [
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "posting_date", "account",
	"debit", "credit", "debit_in_account_currency", "credit_in_account_currency", "account_currency",
	"company", "voucher_type", "voucher_no", "charity_fund", "is_cancelled", "cost_center",
]  # fmt: skip


def gl_row(name, at, posted, account, debit, credit, voucher_type, voucher_no, fund, settings) -> tuple:
	return (
		name, at, at, "Administrator", "Administrator", 1, posted, account, debit, credit, debit, credit,
		"SAR", settings.company, voucher_type, voucher_no, fund, 0, settings.cost_center,
	)  # fmt: skip


def load_other_ledger(size: int, settings: frappe._dict) -> None:
	"""Ledger rows that are not aid: the association's other journal entries, on two other accounts."""
	if size <= 0:
		return
	have = frappe.db.count("GL Entry", {"name": ("like", "BENCH-O%")})
	rng = random.Random(30_000_000 + have)
	today = getdate()
	others = frappe.get_all(
		"Account",
		filters={
			"company": settings.company,
			"is_group": 0,
			"account_type": ("in", ("Cash", "Bank", "")),
		},
		pluck="name",
		limit=2,
	)
	if len(others) < 2:
		return
	for start in range(have, size, BATCH):
		gl = []
		for n in range(start, min(start + BATCH, size)):
			posted = today - timedelta(days=rng.randint(0, 730))
			at = stamp(posted, n)
			amount = rng.randrange(100, 9000, 10)
			debit = n % 2 == 0
			gl.append(
				gl_row(f"BENCH-O{n:08d}", at, posted, others[n % 2], amount if debit else 0,
					0 if debit else amount, "Journal Entry", f"BENCH-OJ{n // 2:07d}", None, settings)
			)  # fmt: skip
		insert("GL Entry", GL_FIELDS, gl)


def load_todos(size: int) -> None:
	"""frappe's own list at the same size: ToDos, open and closed, allocated to Administrator."""
	have = existing("ToDo", "T")
	rng = random.Random(40_000_000 + have)
	today = getdate()
	fields = ["name", "creation", "modified", "owner", "modified_by", "status", "priority", "date",
		"description", "allocated_to"]  # fmt: skip
	for start in range(have, size, BATCH):
		rows = []
		for n in range(start, min(start + BATCH, size)):
			day = today - timedelta(days=rng.randint(0, 3 * 365))
			at = stamp(day, n)
			rows.append(
				(row_name("T", n), at, at, "Administrator", "Administrator",
					rng.choice(("Open", "Open", "Closed", "Cancelled")), rng.choice(("Low", "Medium", "High")),
					add_days(day, 14), f"متابعة (قياس) {n}", "Administrator")
			)  # fmt: skip
		insert("ToDo", fields, rows)


def load(beneficiaries: int, requests: int, disbursements: int, gl_rows: int) -> frappe._dict:
	"""Top the site up to the sizes asked; returns Charity Settings."""
	started = time.perf_counter()
	settings = ensure_masters()
	names = Names()
	steps = (
		("beneficiaries", lambda: load_beneficiaries(beneficiaries, names)),
		("ToDos (baseline)", lambda: load_todos(beneficiaries)),
		("requests", lambda: load_requests(requests, beneficiaries, names)),
		(
			"disbursements and ledger",
			lambda: load_disbursements(disbursements, requests, gl_rows, settings),
		),
	)
	for label, step in steps:
		t = time.perf_counter()
		step()
		print(f"  loaded {label} in {time.perf_counter() - t:.1f} s", flush=True)
	print(
		f"data ready in {time.perf_counter() - started:.0f} s ({now_datetime():%H:%M:%S})",
		flush=True,
	)
	return settings
