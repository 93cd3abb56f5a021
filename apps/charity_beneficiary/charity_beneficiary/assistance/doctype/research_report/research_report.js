// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

// R3.1: the research report. A new report lists every active need criterion to score; the need
// score and its explanation follow the scores as they are typed (the server computes the stored
// values the same way, with the rubric's current weights, in research_report.py / scoring.py).

const RUBRIC_METHOD = "charity_beneficiary.assistance.doctype.research_report.research_report.get_rubric";

frappe.ui.form.on("Research Report", {
	setup(frm) {
		// the request links back to its report: cancelling the report must not offer to cancel it
		frm.ignore_doctypes_on_cancel_all = ["Assistance Request"];
		frm.set_query("assistance_request", () => ({
			filters: { docstatus: 1, workflow_state: "Under Research" },
		}));
		frm.set_query("criterion", "scores", () => ({ filters: { is_active: 1 } }));
	},

	onload(frm) {
		if (frm.is_new() && !(frm.doc.scores || []).length) {
			load_rubric(frm);
		}
	},

	refresh(frm) {
		show_guidance(frm);
		show_need_score(frm);
		toggle_recommended_amount(frm);
	},

	assistance_request(frm) {
		if (!frm.doc.assistance_request) return;
		frappe.db
			.get_value("Assistance Request", frm.doc.assistance_request, ["researcher", "requested_amount"])
			.then(({ message }) => {
				if (message && message.researcher && message.researcher !== frm.doc.researcher) {
					frm.set_value("researcher", message.researcher);
				}
			});
	},

	recommendation(frm) {
		toggle_recommended_amount(frm);
		if (frm.doc.recommendation === "Reject") {
			frm.set_value("recommended_amount", 0);
		} else if (frm.doc.recommendation === "Approve" && !frm.doc.recommended_amount) {
			frm.set_value("recommended_amount", frm.doc.requested_amount || 0);
		}
	},

	scores_remove(frm) {
		update_need_score(frm);
	},

	financials_remove(frm) {
		update_financials(frm);
	},
});

frappe.ui.form.on("Research Score", {
	criterion(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		const criterion = (frm._rubric || []).find((c) => c.name === row.criterion);
		if (criterion) {
			frappe.model.set_value(cdt, cdn, "weight", criterion.weight).then(() => update_need_score(frm));
		} else if (row.criterion) {
			frappe.db.get_value("Need Criterion", row.criterion, "weight").then(({ message }) => {
				frappe.model
					.set_value(cdt, cdn, "weight", (message && message.weight) || 0)
					.then(() => update_need_score(frm));
			});
		}
	},

	score(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (row.score < 0 || row.score > 10) {
			frappe.msgprint(
				__("The score of {0} must be from 0 to 10, not {1}", [
					frappe.utils.escape_html(row.criterion),
					cint(row.score),
				])
			);
			frappe.model.set_value(cdt, cdn, "score", Math.min(10, Math.max(0, cint(row.score))));
			return;
		}
		update_need_score(frm);
	},
});

frappe.ui.form.on("Research Financial Line", {
	line_type: update_financials,
	monthly_amount: update_financials,
	verified: update_financials,
});

function load_rubric(frm) {
	return frappe.call(RUBRIC_METHOD).then(({ message }) => {
		frm._rubric = message || [];
		if (!frm.is_new() || (frm.doc.scores || []).length) return;
		frm._rubric.forEach((criterion) => {
			frm.add_child("scores", { criterion: criterion.name, weight: criterion.weight, score: 0 });
		});
		frm.refresh_field("scores");
		show_guidance(frm);
		update_need_score(frm);
	});
}

function criterion_label(frm, name) {
	const criterion = (frm._rubric || []).find((c) => c.name === name);
	const english = !(frappe.boot.lang || "ar").startsWith("ar");
	return (english && criterion && criterion.criterion_name_en) || name;
}

function show_guidance(frm) {
	if (frm.doc.docstatus !== 0) return;
	const render = () => {
		const rows = (frm._rubric || []).filter((c) => c.guidance);
		if (!rows.length) return;
		const items = rows
			.map(
				(c) =>
					`<li><b>${frappe.utils.escape_html(criterion_label(frm, c.name))}</b>: ${frappe.utils.escape_html(
						c.guidance
					)}</li>`
			)
			.join("");
		frm.set_df_property(
			"scores",
			"description",
			`${__(
				"Score every active need criterion from 0 (no need) to 10 (the greatest need); the weights come from Need Criterion"
			)}<ul class="small" style="margin-top: 4px;">${items}</ul>`
		);
	};
	if (frm._rubric) {
		render();
	} else {
		frappe.call(RUBRIC_METHOD).then(({ message }) => {
			frm._rubric = message || [];
			render();
		});
	}
}

// The same arithmetic as scoring.py: Σ(weight × score / 10) / Σ weight × 100, rounded to 2.
function update_need_score(frm) {
	if (frm.doc.docstatus !== 0) return;
	const rows = frm.doc.scores || [];
	const total_weight = rows.reduce((sum, row) => sum + flt(row.weight), 0);
	if (!rows.length || total_weight <= 0) return;
	let points = 0;
	const lines = rows.map((row) => {
		const weight = flt(row.weight);
		const score = cint(row.score);
		points += weight * score;
		row.contribution = flt((weight * score) / 10 / total_weight * 100, 2);
		return __("{0}: {1}/10 × weight {2} = {3} of {4}", [
			criterion_label(frm, row.criterion),
			format_number(score),
			format_number(weight),
			format_decimal(weight * score),
			format_number(weight * 10),
		]);
	});
	const need_score = flt(points / 10 / total_weight * 100, 2);
	lines.push(
		__("Need score: {0} of {1} weighted points = {2} of 100", [
			format_decimal(points),
			format_number(total_weight * 10),
			format_decimal(need_score),
		])
	);
	frm.refresh_field("scores");
	frm.set_value({ need_score: need_score, score_explanation: lines.join("\n") }).then(() =>
		show_need_score(frm)
	);
}

function update_financials(frm) {
	let income = 0;
	let expenses = 0;
	(frm.doc.financials || []).forEach((line) => {
		if (!line.verified) return;
		if (line.line_type === "Income") income += flt(line.monthly_amount);
		if (line.line_type === "Expense") expenses += flt(line.monthly_amount);
	});
	frm.set_value({
		verified_monthly_income: income,
		monthly_expenses: expenses,
		monthly_balance: income - expenses,
	});
}

function show_need_score(frm) {
	frm.dashboard.clear_headline();
	if (!(frm.doc.scores || []).length || !frm.doc.score_explanation) return;
	const score = flt(frm.doc.need_score);
	const color = score >= 70 ? "red" : score >= 40 ? "orange" : "green";
	const lines = frm.doc.score_explanation
		.split("\n")
		.map((line) => `<div>${frappe.utils.escape_html(line)}</div>`)
		.join("");
	frm.dashboard.set_headline(
		`<div><span class="indicator ${color}"><b>${__("Need Score")}: ${format_decimal(
			score
		)} / 100</b></span></div><div class="text-muted small" style="margin-top: 4px;">${lines}</div>`
	);
}

function toggle_recommended_amount(frm) {
	const partly = frm.doc.recommendation === "Partly Approve";
	frm.toggle_reqd("recommended_amount", partly && flt(frm.doc.requested_amount) > 0);
	frm.toggle_reqd("recommendation_notes", partly && !flt(frm.doc.requested_amount));
}

// 3 → "3", 1.5 → "1.5" (as scoring.py's _number)
function format_number(value) {
	const text = flt(value, 2).toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
	return text === "-0" || text === "" ? "0" : text;
}

// 24 → "24.0", 0.75 → "0.75" (as scoring.py's _decimal)
function format_decimal(value) {
	const text = format_number(value);
	return text.includes(".") ? text : `${text}.0`;
}
