"""The satisfaction survey shipped with the app, in Arabic (R5.2), framework-free data.

`ensure_default_survey` (in survey.py, which needs Frappe) creates it once and names it the default of
Service Quality Settings; an association may then edit it or add its own templates.
"""

DEFAULT_SURVEY_TITLE = "استبيان رضا المستفيدين"

DEFAULT_SURVEY = {
	"title": DEFAULT_SURVEY_TITLE,
	"is_active": 1,
	"questions": [
		{
			"question": "ما مدى رضاك عن سرعة إنجاز طلبك؟",
			"question_en": "How satisfied are you with how quickly your request was handled?",
			"question_type": "Rating",
			"is_required": 1,
		},
		{
			"question": "ما مدى رضاك عن وضوح الإجراءات والمعلومات المقدمة لك؟",
			"question_en": "How satisfied are you with the clarity of the procedures and information given to you?",
			"question_type": "Rating",
			"is_required": 1,
		},
		{
			"question": "هل عاملك الموظف باحترام؟",
			"question_en": "Did the staff member treat you with respect?",
			"question_type": "Yes-No",
			"is_required": 1,
		},
		{
			"question": "هل تلقيت المساعدة بالشكل الذي يحفظ كرامتك؟",
			"question_en": "Was the assistance given to you in a way that preserved your dignity?",
			"question_type": "Yes-No",
			"is_required": 1,
		},
		{
			"question": "ما مدى احتمال أن توصي بالجمعية لغيرك؟",
			"question_en": "How likely are you to recommend the association to others?",
			"question_type": "NPS",
			"is_required": 1,
		},
		{
			"question": "ملاحظاتك ومقترحاتك",
			"question_en": "Your comments and suggestions",
			"question_type": "Text",
			"is_required": 0,
		},
	],
}
