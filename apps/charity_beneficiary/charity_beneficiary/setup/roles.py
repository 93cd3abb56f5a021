"""The app's roles, framework-free so metadata checks can read them without Frappe.

Each entry: role_name (the Role's name, English, as used in permissions), desk_access (1 = Desk
user, 0 = portal/website only) and label_ar (the Arabic label, also expected as the msgstr for
role_name in locale/ar.po).
"""

ROLES: list[dict] = [
	{
		"role_name": "Beneficiary Relations Officer",
		"desk_access": 1,
		"label_ar": "موظف علاقات المستفيدين",
	},
	{
		"role_name": "Social Researcher",
		"desk_access": 1,
		"label_ar": "الباحث الاجتماعي",
	},
	{
		"role_name": "Research Committee Member",
		"desk_access": 1,
		"label_ar": "عضو لجنة البحث",
	},
	{
		"role_name": "Charity Accountant",
		"desk_access": 1,
		"label_ar": "المحاسب",
	},
	{
		"role_name": "Charity Storekeeper",
		"desk_access": 1,
		"label_ar": "أمين المستودع",
	},
	{
		"role_name": "Charity Manager",
		"desk_access": 1,
		"label_ar": "مدير الجمعية",
	},
	{
		"role_name": "Branch Representative",
		"desk_access": 1,
		"label_ar": "مندوب المكتب الفرعي",
	},
	{
		"role_name": "Beneficiary",
		"desk_access": 0,
		"label_ar": "المستفيد",
	},
]

ROLE_NAMES: list[str] = [role["role_name"] for role in ROLES]
# The workspace each staff role lands on (setup/staff_desk.py), in the order a user with several roles
# has his landing page chosen.
STAFF_WORKSPACES: dict[str, str] = {
	"Beneficiary Relations Officer": "علاقات المستفيدين",
	"Social Researcher": "علاقات المستفيدين",
	"Research Committee Member": "علاقات المستفيدين",
	"Charity Accountant": "صرف المساعدات",
	"Charity Storekeeper": "صرف المساعدات",
	"Charity Manager": "علاقات المستفيدين",
	"Branch Representative": "المستفيدون",
}
