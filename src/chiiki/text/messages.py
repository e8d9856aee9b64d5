"""Messages of the text-mining engine and its Workbench methods (codes ``text.*``).

English templates (msgids); the Japanese is in ``locale/ja/LC_MESSAGES/fragments/hearings.po``
(and ``h4.po`` for the codes of issue 9).
"""

from chiiki.i18n import N_

MESSAGES = {
    # errors
    "text.bad_choice": N_("{option} must be one of {choices}, not {value!r}."),
    "text.bad_output": N_("Cannot write {suffix!r} files here: use one of {choices}."),
    "text.no_documents": N_("No documents match the selection."),
    "text.rules_file_missing": N_("Rule file not found: {file}"),
    "text.ca_degenerate": N_(
        "Correspondence analysis needs at least 2 rows and 2 columns with counts (the table is {rows} × {columns})."
    ),
    "text.rule_unreadable": N_("*{name}: cannot read the rule at position {position}: {rest!r}"),
    "text.rule_near_terms": N_("*{name}: {operator}() needs at least two terms."),
    "text.rule_empty": N_("*{name}: the rule is empty."),
    "text.rule_unexpected": N_("*{name}: unexpected {value!r} (token {token})."),
    "text.rule_ends_early": N_("*{name}: the rule ends too early (token {token})."),
    "text.rule_missing_paren": N_("*{name}: a closing parenthesis is missing (token {token})."),
    "text.rule_empty_name": N_("Line {line}: the code name is empty."),
    "text.rule_duplicate": N_("Line {line}: the code *{name} is defined twice."),
    "text.rule_before_name": N_("Line {line}: a condition comes before the first *code name."),
    "text.stopwords_missing": N_("Stop-word file not found: {file}"),
    "text.stopwords_unreadable": N_("Cannot read the stop-word file {file}: it is neither UTF-8 nor CP932."),
    "text.unknown_document": N_("No document {ref}: give a document id or key (chiiki hearing documents lists them)."),
    # warnings and notices
    "text.personal_left_out": (
        N_("{n} document holding personal data left out (--include-personal to analyse it)."),
        N_("{n} documents holding personal data left out (--include-personal to analyse them)."),
    ),
    "text.candidates_capped": N_("Candidate terms limited to the {n} with the highest document frequency."),
    "text.no_cooccurrence": N_("No two terms co-occur at this minimum document frequency ({min_df})."),
    "text.ca_dropped_empty": N_("Rows or columns without counts were left out."),
    "text.documents_lack_variable": (
        N_("{n} document has no {variable} and was left out."),
        N_("{n} documents have no {variable} and were left out."),
    ),
    "text.code_not_testable": N_("*{name}: not testable (every document or none has the code)."),
    "text.small_expected": N_("*{name}: {n} of {cells} expected counts are below 5; the χ² test may be unreliable."),
    "text.network_few_documents": (
        N_(
            "Only {n} document (fewer than {minimum}): the {measure} similarity takes only a few values, "
            "so most pairs tie and the network says little."
        ),
        N_(
            "Only {n} documents (fewer than {minimum}): the {measure} similarity takes only a few values, "
            "so most pairs tie and the network says little."
        ),
    ),
    "text.network_few_sentences": (
        N_(
            "Only {n} sentence (fewer than {minimum}): the {measure} similarity takes only a few values, "
            "so most pairs tie and the network says little."
        ),
        N_(
            "Only {n} sentences (fewer than {minimum}): the {measure} similarity takes only a few values, "
            "so most pairs tie and the network says little."
        ),
    ),
    "text.ca_few_documents": (
        N_(
            "Correspondence analysis of {n} document (fewer than {minimum}): "
            "the map places single documents rather than showing how the groups differ."
        ),
        N_(
            "Correspondence analysis of {n} documents (fewer than {minimum}): "
            "the map places single documents rather than showing how the groups differ."
        ),
    ),
    "text.ca_one_dimension": N_(
        "The table is {rows} × {columns}: the analysis has one dimension, so the map's second axis shows nothing."
    ),
    "text.stopwords_builtin": N_(
        "Stop words: the built-in list ({n} words); single Latin letters and numbers are left out too."
    ),
    "text.stopwords_added": N_(
        "Stop words: the built-in list and {file} ({n} words); single Latin letters and numbers are left out too."
    ),
    "text.stopwords_replaced": N_(
        "Stop words: {file} instead of the built-in list ({n} words); "
        "single Latin letters and numbers are left out too."
    ),
    "text.samples_left_out": (
        N_("{n} sample document left out (--include-samples to analyse it)."),
        N_("{n} sample documents left out (--include-samples to analyse them)."),
    ),
    # titles and notices of the Workbench methods
    "text.freq_title": (N_("Term frequencies ({n} document)"), N_("Term frequencies ({n} documents)")),
    "text.kwic_title": (N_("{term}: {n} occurrence"), N_("{term}: {n} occurrences")),
    "text.ca_title": N_("Correspondence analysis: terms × {variable}"),
    "text.rules_title": N_("Codes × {variable}"),
    "text.report_written": N_("Report written to {path}."),
}
