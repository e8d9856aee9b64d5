"""Messages of the key-factor engine (codes ``factors.*``), in English; Japanese in the catalogue.

Results carry these as :class:`chiiki.i18n.Message` objects (labels, evidence, warnings, reasons,
verdicts) and never a sentence, so one analysis can be shown in either language. A message that
names another (a factor label inside a warning, the counts inside a verdict's reason) holds it as a
message dict in its parameters; :meth:`chiiki.i18n.Translator.render` renders it in place.
"""

from chiiki.i18n import N_

FACTOR_LABELS = {
    "final_grade_S": N_("Final evaluation graded S"),
    "final_grade_ordinal": N_("Final evaluation grade (ordinal)"),
    "interim_grade_S": N_("Interim evaluation graded S"),
    "interim_grade_ordinal": N_("Interim evaluation grade (ordinal)"),
    "n_org_kinds": N_("Number of kinds of participating organization"),
    "blau_index": N_("Diversity of participating organizations (Blau index)"),
    "shannon_index": N_("Diversity of participating organizations (Shannon index)"),
    "has_local_government": N_("A local government takes part"),
    "has_company": N_("A company takes part"),
    "has_foundation": N_("A foundation takes part"),
    "has_public_research_institute": N_("A public research institute takes part"),
    "has_financial_institution": N_("A financial institution or VC takes part"),
    "n_h2_partner_kinds": N_("Kinds of partner besides universities (H2)"),
    "broad_partnership": N_("University and a broad range of partners (H2)"),
    "n_local_gov_applicants": N_("Number of applicant local governments"),
    "core_is_university": N_("Core institution is a university"),
    "core_is_foundation": N_("Core institution is a foundation"),
    "core_is_local_government": N_("Core institution is a local government"),
    "budget_per_year_oku_yen": N_("Budget per year (100 million yen)"),
    "duration_years": N_("Duration (years)"),
    "n_universities": N_("Number of participating universities"),
    "n_companies": N_("Number of participating companies"),
    "prior_adoptions": N_("Earlier adoptions of the same hub"),
}

MESSAGES = {
    # -- labels -----------------------------------------------------------------------------
    **{f"factors.factor.{name}": label for name, label in FACTOR_LABELS.items()},
    "factors.factor.program_family": N_("Program family = {family}"),
    "factors.outcome.successor": N_("Successor adoption"),
    "factors.outcome.regional": N_("Regional continuation"),
    "factors.outcome.time_to_successor": N_("Years to successor adoption"),
    "factors.method.fisher": N_("Fisher's exact test"),
    "factors.method.firth": N_("Firth logistic regression"),
    "factors.method.cox": N_("Cox regression"),
    "factors.outcome.next_stage": N_("Next stage of the same program"),
    "factors.outcome.successor_stated": N_("Successor adoption (stated links only)"),
    "factors.outcome.all": N_("All outcomes"),
    "factors.outcome.competing": N_("Competing outcomes"),
    "factors.method.mh_exact": N_("Exact conditional test within strata (Mantel–Haenszel)"),
    "factors.method.firth_adjusted": N_("Firth logistic regression with strata covariates"),
    "factors.method.cox_stratified": N_("Cox regression stratified by program family"),
    "factors.analysis.crude": N_("crude"),
    "factors.analysis.adjusted": N_("adjusted"),
    "factors.evidence.crude_only": N_("crude estimate (for comparison; not graded)"),
    "factors.evidence.descriptive": N_("descriptive only (too few events for a test)"),
    "factors.direction.positive": N_("positive association"),
    "factors.direction.negative": N_("negative association"),
    "factors.evidence.strong": N_("strong evidence ({direction})"),
    "factors.evidence.moderate": N_("moderate evidence ({direction})"),
    "factors.evidence.weak": N_("weak evidence ({direction}; not significant after adjustment)"),
    "factors.evidence.none": N_("no association detected"),
    "factors.evidence.not_testable": N_("not testable"),
    "factors.status.supported": N_("supported"),
    "factors.status.not_supported": N_("not supported"),
    "factors.status.inconclusive": N_("inconclusive"),
    "factors.status.not_testable": N_("not testable"),
    "factors.hypothesis.H1": N_(
        "Hubs graded S in the final evaluation went on to the adoption of a successor program."
    ),
    "factors.hypothesis.H2": N_(
        "Programs in which local governments, companies, foundations and public research institutes took part "
        "besides universities tend to continue on regional budgets after the program ends."
    ),
    "factors.qca_solution.complex": N_("complex (conservative) solution"),
    "factors.qca_solution.parsimonious": N_("parsimonious solution"),
    "factors.exclusion.no_end_fy": N_("no end FY"),
    "factors.exclusion.window_open": N_("the window after the end FY reaches past the cut-off FY"),
    "factors.exclusion.ongoing": N_("the program ends after the cut-off FY"),
    "factors.exclusion.successor_time_unknown": N_("the start FY of the successor is unknown"),
    "factors.exclusion.not_started": N_("the adoption starts after the cut-off FY"),
    "factors.exclusion.time_unknown": N_("an outcome is recorded without its FY"),
    "factors.excluded": (
        N_("{outcome}: {n} adoption excluded ({reason})"),
        N_("{outcome}: {n} adoptions excluded ({reason})"),
    ),
    "factors.key_factors_title": N_("Key factors (successor adoption / regional continuation)"),
    # -- why a row could not be tested --------------------------------------------------------
    "factors.too_few_cases": N_("too few complete cases (n={n} < {min_n})"),
    "factors.factor_constant": N_("the factor has no variation among complete cases"),
    "factors.outcome_constant": N_("the outcome has no variation among complete cases"),
    "factors.no_successor_events": N_("no successor adoption among complete cases"),
    "factors.too_few_events": (
        N_("only {n} adoption in the smaller outcome class (fewer than {min_events}): descriptive only, no p-value"),
        N_("only {n} adoptions in the smaller outcome class (fewer than {min_events}): descriptive only, no p-value"),
    ),
    "factors.too_few_within_strata": N_(
        "within program family and start era, only {n} adoptions are in strata where both the factor and the "
        "outcome vary (fewer than {min_n}): no adjusted estimate"
    ),
    "factors.participants_unrecorded": N_(
        "participant lists: complete for {complete} adoptions, partial for {partial}, none for {none}; "
        "{n_missing} adoptions with the outcome known have this factor unknown (not recorded is not absent)"
    ),
    "factors.ph_violated": N_(
        "proportional hazards doubtful (Schoenfeld residual test p={p}): the hazard ratio is an average over time"
    ),
    # -- warnings of the methods ----------------------------------------------------------------
    "factors.empty_margin": N_("a margin of the 2x2 table is empty: no test possible"),
    "factors.zero_cell": N_(
        "zero cell in the 2x2 table (separation): the odds ratio is 0 or infinite and its interval is one-sided"
    ),
    "factors.no_model_outcome_constant": N_("the outcome has no variation among complete cases: no model"),
    "factors.no_model_constant": N_("no variation in {terms}: no model"),
    "factors.separation": N_(
        "separation: maximum likelihood would give an infinite odds ratio; "
        "Firth's penalized estimate is finite but uncertain"
    ),
    "factors.separation_check_failed": N_(
        "separation could not be checked ({error}): the estimate may rest on separated data"
    ),
    "factors.firth_warning": N_("Firth: {text}"),
    "factors.firth_not_converged": N_("the Firth fit did not converge"),
    "factors.firth_failed": N_("the Firth fit failed: {error}"),
    "factors.cox_failed": N_("the Cox model failed: {error}"),
    "factors.cox_warning": N_("Cox: {text}"),
    "factors.cox_monotone": N_(
        "all successor adoptions fall in some levels of the factor only (monotone likelihood): "
        "the hazard ratio is not finite in truth"
    ),
    "factors.logrank_no_events": N_("no successor adoption: log-rank test not possible"),
    "factors.factor_warning": N_("{factor}: {warning}"),
    "factors.qca_cases_dropped": (
        N_("{n} case dropped for missing values"),
        N_("{n} cases dropped for missing values"),
    ),
    "factors.qca_multiple_models": N_("{solution}: {n} equally minimal models; the first is shown"),
    "factors.qca_no_solution": N_("no truth-table row passes the consistency cut: no solution"),
    "factors.bootstrap_skipped": (
        N_("{n} bootstrap resample had no variation and was skipped"),
        N_("{n} bootstrap resamples had no variation and were skipped"),
    ),
    # -- analysis-wide warnings and reasons ------------------------------------------------------
    "factors.undated_ignored": N_(
        "{n} successors or events without a FY are ignored: with cut-off FY {cutoff} they cannot be placed before it"
    ),
    "factors.successor_overlaps": N_(
        "{n} adoptions have a successor or next stage that starts before or in their end FY (overlapping)"
    ),
    "factors.cif_not_split": N_("the cumulative incidence is not split by {factor} (no variation among known cases)"),
    "factors.cause_specific_too_few": N_(
        "no cause-specific Cox model for {factor}: {n} adoptions known, {n_events} successors first"
    ),
    "factors.successor_unknown_everywhere": N_(
        "the successor outcome is unknown for every adoption (no end FY, or the window is still open)"
    ),
    "factors.no_participations": N_(
        "no participation rows: the factors on participating organizations are all missing"
    ),
    "factors.km_not_split": N_(
        "the Kaplan–Meier curves are not split by {factor} (too few adoptions have it known): "
        "one curve for all adoptions"
    ),
    "factors.few_final_grades": (
        N_("the final evaluation grade is known for only {n} adoption: the grade factors cannot be tested"),
        N_("the final evaluation grade is known for only {n} adoptions: the grade factors cannot be tested"),
    ),
    "factors.survival_off": N_("survival analysis switched off"),
    "factors.survival_too_few": N_("too few adoptions with a known time to a successor program ({n})"),
    "factors.qca_off": N_("QCA switched off"),
    "factors.qca_columns_missing": N_("QCA columns not available: {columns}"),
    "factors.qca_too_few": N_("too few cases with every QCA condition and the outcome known ({n} < {min_n})"),
    "factors.qca_outcome_constant": N_("the QCA outcome has no variation"),
    # -- verdicts --------------------------------------------------------------------------------
    "factors.verdict.counts": (
        N_(
            "{n} adoption with both the factor and the outcome known (with the factor: {exposed_with_outcome} "
            "of {exposed} had the outcome; without: {unexposed_with_outcome} of {unexposed})"
        ),
        N_(
            "{n} adoptions with both the factor and the outcome known (with the factor: {exposed_with_outcome} "
            "of {exposed} had the outcome; without: {unexposed_with_outcome} of {unexposed})"
        ),
    ),
    "factors.verdict.estimate": N_(
        "odds ratio {estimate} (95% CI {ci_low}–{ci_high}), p={p_value}, adjusted p-value={p_adjusted}"
    ),
    "factors.verdict.estimate_adjusted": N_(
        "odds ratio {estimate} within program family and start era (95% CI {ci_low}–{ci_high}; "
        "clustered by hub {cluster_ci_low}–{cluster_ci_high}), p={p_value}, Holm-adjusted p-value={p_adjusted}"
    ),
    "factors.verdict.supported": N_("The data support the hypothesis: {estimate}. {counts}."),
    "factors.verdict.not_supported": N_(
        "The data do not support the hypothesis (no effect of the implied size, or the opposite direction): "
        "{estimate}. {counts}."
    ),
    "factors.verdict.inconclusive": N_("Inconclusive (the uncertainty is too large): {estimate}. {counts}."),
    "factors.verdict.not_testable": N_(
        "Not testable: {counts}; the factor is known for {n_factor_known}, the outcome for {n_outcome_known}. "
        "Reason: {why}"
    ),
    "factors.verdict.no_test_row": N_("no test row"),
    # -- errors and notices ------------------------------------------------------------------------
    "factors.unknown_factor": N_("unknown factor: {name}"),
    "factors.unknown_parameter": N_("unknown analysis parameter: {name}"),
    "factors.cannot_plant": N_("cannot plant an effect on {name}; choose from: {choices}"),
    "factors.unknown_outcome": N_("unknown outcome: {name}"),
    "factors.demo_not_empty": (
        N_("the database already holds {n} adoption that is not synthetic; refusing to mix synthetic data into it"),
        N_("the database already holds {n} adoptions that are not synthetic; refusing to mix synthetic data into it"),
    ),
    "factors.demo_exists": (
        N_("the database already holds {n} synthetic adoption; give a new file"),
        N_("the database already holds {n} synthetic adoptions; give a new file"),
    ),
    "factors.demo_needs_db": N_("give the database to write the synthetic data into with --db"),
    "factors.demo_written": N_(
        "Synthetic data written (seed {seed}): {adoptions} adoptions, {participations} participations, "
        "{links} lineage links, {events} events, {organizations} organizations, {hubs} hubs"
    ),
    "factors.planted_effect": N_("planted effect: {factor} → {outcome}, odds ratio {odds_ratio}"),
    "factors.qca_bad_anchors": N_("calibration anchors must be ordered e < c < i (or e > c > i for a decreasing set)"),
    "factors.qca_columns_not_found": N_("columns not found: {columns}"),
    "factors.qca_bad_membership": N_("set memberships must lie in [0, 1]"),
    "factors.planted_null_within_family": N_(
        "planted null within family: {factor} → {outcome}, odds ratio 1 in every program family "
        "(the crude odds ratio is confounded by the family)"
    ),
    "factors.demo_bad_parameter": N_("demo parameter {name} must be between 0 and {high}, got {value}"),
    "factors.mh_no_informative_strata": N_(
        "no stratum has variation in both the factor and the outcome ({n_strata} strata): no stratified estimate"
    ),
    "factors.mh_zero_cells": N_(
        "the Mantel–Haenszel odds ratio is 0 or infinite (empty cells in every stratum): no "
        "confidence interval; use the exact conditional estimate"
    ),
    "factors.mh_estimate_at_bound": N_(
        "the conditional maximum-likelihood odds ratio is 0 or infinite (the observed count is at "
        "the end of its possible range): the confidence interval is open on one side"
    ),
    "factors.cox_not_converged": N_("the Cox model did not converge ({terms}): no estimates"),
}
