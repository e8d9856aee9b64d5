"""Messages of the survey report (codes ``report.*``), in English; Japanese in the catalogue."""

from chiiki.i18n import N_

MESSAGES = {
    "report.no_analysis": N_("The statistical analysis could not be run: {detail}"),
    "report.unknown_format": N_("Unknown report format(s): {formats} (choose from {choices})."),
    "report.unknown_chapter": N_("Unknown report chapter(s): {chapters} (choose from {choices})."),
    "report.glyphs_missing": (
        N_("The PDF cannot be written: {n} character is not in the IPAex Gothic font: {chars}"),
        N_("The PDF cannot be written: {n} characters are not in the IPAex Gothic font: {chars}"),
    ),
    "report.font_not_embedded": N_(
        "The PDF cannot be written: the IPAex Gothic font was not embedded (fonts found: {fonts})."
    ),
    "report.html_kept": N_("The HTML report was written: {path}"),
    "report.hearings_failed": N_("The hearings chapter could not be made: {detail}"),
    "report.written": (
        N_("Report written ({n} file) to {dir}"),
        N_("Report written ({n} files) to {dir}"),
    ),
    # the methods section (report.methods.*): every choice that shaped the numbers, with its values
    "report.methods.cutoff": N_(
        "Everything is as of the cut-off FY {cutoff}: nothing that happened after it is seen (no successor "
        "adoption, regional event or ex-post evaluation dated later). Selections that start after the cut-off "
        "are not analysed; a successor or event without a FY is used only when the cut-off is the latest FY in "
        "the data."
    ),
    "report.methods.window": N_(
        "A yes/no outcome counts what starts within {window} FY after the program's end FY. It is known only "
        "when the whole window has been observed (end FY + {window} no later than the cut-off FY). Selections "
        "whose window is still open are excluded from the yes/no outcomes for everyone alike, with or without a "
        "successor ({n_open} selections), and are kept, censored at the cut-off, in the time-to-event analysis."
    ),
    "report.methods.outcomes": N_(
        "A later selection in the same program family is the next stage of that program (a designed "
        "continuation: the scheme itself chooses who continues) and is its own outcome; a successor adoption is "
        "a selection in another program, or a recorded successor adoption. Successors that overlap the program "
        "(starting in or before its end FY) count and are flagged. Regional continuation is a regional budget "
        "or hub organization within the window."
    ),
    "report.methods.links": N_(
        "Successor links come from lineage stated in the sources, links entered by hand, lineage rules and "
        "later selections of the same hub. The sensitivity variant 'stated links only' recomputes the successor "
        "outcome from stated and hand-entered links alone."
    ),
    "report.methods.participants": N_(
        "Not recorded is not absent. The participant list is complete for {complete} selections, partial for "
        "{partial} and missing for {none}. Applicants written in the prefecture and municipality cells count as "
        "local-government participants. On a partial list a kind of partner that appears is present and one "
        "that does not appear is unknown (not 0); diversity indices need a complete list. The sensitivity "
        "variant 'unknown as absent' reads every list as complete (the earlier coding), side by side."
    ),
    "report.methods.adjustment": N_(
        "Every factor is estimated twice. The crude estimate (univariable, selections treated as independent) "
        "is shown for comparison only. The primary estimate, the one graded, is adjusted for program family and "
        "start era (five-year eras), because the scheme itself chooses who continues: for a yes/no factor the "
        "exact conditional test of a common odds ratio within the family-by-era strata (Mantel-Haenszel; R "
        "mantelhaen.test with exact = TRUE); for a numeric factor Firth logistic regression with family and era "
        "as covariates; for the time to a successor Cox regression stratified by program family with era as a "
        "covariate (Efron ties). Program family is a stratum, not a key factor."
    ),
    "report.methods.crude_only": N_(
        "Adjustment was switched off for this run: every row is a crude (univariable) estimate."
    ),
    "report.methods.clustering": N_(
        "Selections of one hub are not independent. For a yes/no factor the stratified odds ratio gets a "
        "hub-level bootstrap interval ({bootstrap} resamples of whole hubs, seed {seed}) beside the exact one; "
        "Firth and Cox models use the robust (sandwich) variance with the hub as cluster (as R coxph with "
        "cluster). A grade needs both the exact and the hub-clustered interval to exclude 1. A sensitivity "
        "variant keeps only the first selection of each hub."
    ),
    "report.methods.time_order": N_(
        "A factor predicts only what happens after it is known. Design factors (partners, budget, "
        "duration) are known at the start, the interim grade at the program's midpoint, the final grade at its "
        "ex-post evaluation (the FY a source gives, else the FY after the end). Selections whose outcome came no "
        "later than the factor was known are left out of that row (landmark analysis) and counted: {details}."
    ),
    "report.methods.time_order_row": N_("{factor}: {n}"),
    "report.methods.none": N_("none"),
    "report.methods.thresholds": N_(
        "A p-value needs at least {min_n} complete cases and at least {min_events} selections in the smaller "
        "outcome class (with or without the outcome); below that a row is descriptive only (an estimate, no "
        "p-value, no grade)."
    ),
    "report.methods.families": N_(
        "H1 and H2 are the survey's confirmatory, pre-specified hypotheses; their primary rows "
        "are adjusted on their own, Holm over the two. The exploratory rows form one Benjamini-Hochberg family "
        "per outcome, with one primary (adjusted) row per factor; crude rows are neither adjusted nor graded. "
        "Grades: strong = adjusted p below {strong}, moderate = adjusted p below {alpha}, weak = only the "
        "unadjusted p below {alpha}; a hub-clustered interval that includes 1 caps the grade at weak."
    ),
    "report.methods.verdicts": N_(
        "A hypothesis is supported when its primary odds ratio is above 1 with a Holm-adjusted p below {alpha} "
        "and a hub-clustered interval above 1; not supported when the association runs the other way or the "
        "upper confidence limit is below {meaningful_or} (the data rule out an effect of the size the survey "
        "implies); inconclusive otherwise."
    ),
    "report.methods.ph": N_(
        "Proportional hazards are checked for every Cox row with the Schoenfeld residual test (as R cox.zph); "
        "a row with p below 0.05 carries a warning and its hazard ratio is an average over time "
        "({n_ph} primary rows)."
    ),
    "report.methods.competing": N_(
        "A successor in another program, the next stage of the same program, regional "
        "continuation, and ending with none of these within the window exclude each other as the first outcome. "
        "Their cumulative incidence is estimated with the Aalen-Johansen estimator (as R cmprsk::cuminc), which, "
        "unlike a Kaplan-Meier curve with the other outcomes censored, does not overstate any one of them; a "
        "cause-specific Cox model (stratified by program family, clustered by hub) gives the hazard ratio of a "
        "successor first for the H1 factor."
    ),
    # the summary's lead: what survives adjustment
    "report.survives": N_(
        "{factor} / {outcome}: {estimate} [{ci}] adjusted for family and era, hub-clustered [{cluster_ci}], "
        "adjusted p={p_adjusted}; crude {crude} — {evidence} (n={n}, {events} events)"
    ),
    "report.survives_none": N_(
        "No factor keeps strong or moderate evidence once program family and start era are adjusted for and "
        "hubs are clustered."
    ),
    "report.not_surviving": N_("{factor} / {outcome}: crude {crude}, p={p}; adjusted {estimate} [{ci}] — {evidence}"),
}
