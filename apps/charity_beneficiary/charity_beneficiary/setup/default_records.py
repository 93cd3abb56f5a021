"""Default master records created on install (framework-free data)."""

# Beneficiary categories of the policies (R1.5), each with the zakat class it usually falls under.
BENEFICIARY_CATEGORIES: list[dict] = [
	{"category_name": "أيتام", "category_name_en": "Orphans", "zakat_class": "The Poor"},
	{"category_name": "أرامل", "category_name_en": "Widows", "zakat_class": "The Poor"},
	{"category_name": "مطلقات", "category_name_en": "Divorced Women", "zakat_class": "The Poor"},
	{"category_name": "مهجورات", "category_name_en": "Abandoned Wives", "zakat_class": "The Poor"},
	{"category_name": "كبار السن", "category_name_en": "Elderly", "zakat_class": "The Needy"},
	{
		"category_name": "ذوو الإعاقة",
		"category_name_en": "People with Disabilities",
		"zakat_class": "The Needy",
	},
	{
		"category_name": "أسر محدودة الدخل",
		"category_name_en": "Low-income Families",
		"zakat_class": "The Needy",
	},
	{"category_name": "أسر السجناء", "category_name_en": "Prisoners' Families", "zakat_class": "The Needy"},
	{"category_name": "مرضى مزمنون", "category_name_en": "Chronically Ill", "zakat_class": "The Needy"},
	{"category_name": "غارمون", "category_name_en": "Debtors", "zakat_class": "Debtors"},
]
