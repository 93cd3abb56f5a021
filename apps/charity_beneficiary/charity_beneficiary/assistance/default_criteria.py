"""The default need rubric (R3.1), framework-free: the Need Criterion records seeded at install.

The researcher scores each criterion from 0 (no need) to 10 (the greatest need); the weights are
only a starting point: the manager changes them, adds criteria or deactivates them in Need
Criterion, and the next reports follow. `guidance` tells the researcher what 0, 5 and 10 mean.
Install code inserts the missing ones only, so a manager's edits survive every migrate.
"""

NEED_CRITERIA: list[dict] = [
	{
		"criterion_name": "دخل الفرد الشهري",
		"criterion_name_en": "Monthly income per person",
		"weight": 3,
		"is_active": 1,
		"guidance": (
			"الدخل الشهري الموثّق للأسرة مقسومًا على عدد أفرادها. "
			"0 = يتجاوز حد الكفاية؛ 5 = نحو نصف حد الكفاية؛ 10 = لا دخل للأسرة."
		),
	},
	{
		"criterion_name": "عدد المعالين",
		"criterion_name_en": "Dependants",
		"weight": 2,
		"is_active": 1,
		"guidance": (
			"من يعولهم رب الأسرة من أطفال وكبار سن وذوي إعاقة. "
			"0 = لا معالين؛ 5 = ثلاثة أو أربعة؛ 10 = سبعة فأكثر أو معالون من ذوي الإعاقة."
		),
	},
	{
		"criterion_name": "حالة السكن",
		"criterion_name_en": "Housing",
		"weight": 2,
		"is_active": 1,
		"guidance": (
			"ملكية المسكن وحالته وكفايته لأفراد الأسرة وعبء الإيجار. "
			"0 = مسكن مملوك مناسب؛ 5 = إيجار يثقل الدخل أو مسكن مزدحم؛ 10 = مسكن غير صالح للسكن أو بلا مأوى."
		),
	},
	{
		"criterion_name": "الحالة الصحية",
		"criterion_name_en": "Health",
		"weight": 2,
		"is_active": 1,
		"guidance": (
			"الأمراض المزمنة والإعاقات في الأسرة وتكاليف علاجها. "
			"0 = لا أمراض؛ 5 = مرض مزمن مستقر؛ 10 = مرض خطير أو إعاقة تحتاج رعاية دائمة وعلاجًا مكلفًا."
		),
	},
	{
		"criterion_name": "الحالة الاجتماعية",
		"criterion_name_en": "Family situation",
		"weight": 2,
		"is_active": 1,
		"guidance": (
			"وجود عائل للأسرة. "
			"0 = عائل قادر على العمل؛ 5 = عائل مسن أو عاجز جزئيًا؛ 10 = أرملة أو مطلقة أو أيتام بلا عائل."
		),
	},
	{
		"criterion_name": "الديون والالتزامات",
		"criterion_name_en": "Debts",
		"weight": 1,
		"is_active": 1,
		"guidance": (
			"الديون الموثّقة وأقساطها الشهرية والأحكام المالية. "
			"0 = لا ديون؛ 5 = أقساط تستهلك ربع الدخل؛ 10 = ديون متعثرة أو حكم بالسداد."
		),
	},
	{
		"criterion_name": "حالة العمل",
		"criterion_name_en": "Employment",
		"weight": 1,
		"is_active": 1,
		"guidance": (
			"قدرة أفراد الأسرة القادرين على العمل وعملهم فعلًا. "
			"0 = يعمل عملًا دائمًا؛ 5 = عمل مؤقت أو جزئي؛ 10 = عاطل لا يقدر على العمل."
		),
	},
]
