// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

const CAST_VOTE_METHOD =
	"charity_beneficiary.assistance.doctype.research_committee_meeting.research_committee_meeting.cast_vote";
const PENDING_REQUESTS_METHOD =
	"charity_beneficiary.assistance.doctype.research_committee_meeting.research_committee_meeting.get_pending_requests";

frappe.ui.form.on("Research Committee Meeting", {
	setup(frm) {
		frm.set_query("assistance_request", "agenda", () => ({
			filters: { docstatus: 1, workflow_state: "Pending Committee" },
		}));
		// votes and approved items only for the requests on the agenda
		const agenda_requests = () => ({
			filters: { name: ["in", agenda_request_names(frm)] },
		});
		frm.set_query("assistance_request", "votes", agenda_requests);
		frm.set_query("assistance_request", "approved_items", agenda_requests);
		frm.set_query("member", "members", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { user_type: "System User" },
		}));
		frm.set_query("member", "votes", () => ({
			filters: { name: ["in", (frm.doc.members || []).map((row) => row.member)] },
		}));
	},

	refresh(frm) {
		if (frm.doc.docstatus !== 0) {
			return;
		}
		frm.add_custom_button(__("Get Pending Requests"), () => get_pending_requests(frm));
		frm.add_custom_button(__("Prepare Vote Sheet"), () => prepare_vote_sheet(frm));
		show_others_votes_read_only(frm);
		add_recast_button(frm);
	},
});

// Each member records only his own vote and conflict of interest (the server refuses the others'):
// the other members' rows are shown read-only.
function show_others_votes_read_only(frm) {
	const grid = frm.fields_dict.votes && frm.fields_dict.votes.grid;
	(grid ? grid.grid_rows : []).forEach((row) => {
		const own = !row.doc.member || row.doc.member === frappe.session.user;
		["vote", "conflict_of_interest"].forEach((field) => row.toggle_editable(field, own));
	});
}

// A vote counts for the decision it was cast for: after the decision, amount or items of a row
// changed, the member casts his vote again for what is recorded now (the server's cast_vote).
function add_recast_button(frm) {
	const own = (frm.doc.votes || []).filter(
		(row) => row.member === frappe.session.user && row.vote && !frm.is_new()
	);
	if (!own.length) {
		return;
	}
	frm.add_custom_button(__("Vote Again on the Recorded Decisions"), async () => {
		if (frm.is_dirty()) {
			await frm.save();
		}
		for (const row of own) {
			await frappe.call({
				method: CAST_VOTE_METHOD,
				args: {
					meeting: frm.doc.name,
					vote: row.vote,
					assistance_request: row.assistance_request || null,
					aid_programme: row.aid_programme || null,
				},
				freeze: true,
			});
		}
		frm.reload_doc();
	});
}

function agenda_request_names(frm) {
	return (frm.doc.agenda || []).map((row) => row.assistance_request).filter(Boolean);
}

function get_pending_requests(frm) {
	frappe.call({ method: PENDING_REQUESTS_METHOD, freeze: true }).then((r) => {
		const existing = new Set(agenda_request_names(frm));
		// drop the empty row a new form starts with
		frm.doc.agenda = (frm.doc.agenda || []).filter((row) => row.assistance_request);
		let added = 0;
		(r.message || []).forEach((request) => {
			if (existing.has(request.name)) {
				return;
			}
			frm.add_child("agenda", {
				assistance_request: request.name,
				beneficiary_name: request.beneficiary_name,
				aid_service: request.aid_service,
				requested_amount: request.requested_amount,
				recommendation: request.recommendation,
			});
			added += 1;
		});
		frm.refresh_field("agenda");
		if (added) {
			frm.dirty();
		}
		frappe.show_alert({
			message: added
				? __("{0} requests added to the agenda", [added])
				: __("No other requests are pending a committee decision"),
			indicator: added ? "green" : "orange",
		});
	});
}

function prepare_vote_sheet(frm) {
	// one row per agenda request and attending member, for the secretary to fill in
	const existing = new Set(
		(frm.doc.votes || []).map((row) => `${row.assistance_request}\u0000${row.member}`)
	);
	const attending = (frm.doc.members || []).filter((row) => row.attended && row.member);
	let added = 0;
	agenda_request_names(frm).forEach((request) => {
		attending.forEach((member) => {
			if (existing.has(`${request}\u0000${member.member}`)) {
				return;
			}
			frm.add_child("votes", { assistance_request: request, member: member.member });
			added += 1;
		});
	});
	frm.refresh_field("votes");
	if (added) {
		frm.dirty();
	}
	frappe.show_alert({
		message: added
			? __("{0} vote rows added", [added])
			: __("Every attending member already has a vote row for each request"),
		indicator: added ? "green" : "orange",
	});
}
