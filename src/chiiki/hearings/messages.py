"""Messages of the hearings package (codes ``hearings.*``): errors, warnings and notices.

English templates (msgids); the Japanese is in ``locale/ja/LC_MESSAGES/fragments/hearings.po``.
Parameters never hold document text (see :mod:`chiiki.hearings.errors`).
"""

from chiiki.i18n import N_

MESSAGES = {
    # errors the user can fix
    "hearings.bad_choice": N_("{option} must be one of {choices}, not {value!r}."),
    "hearings.bad_date": N_("Cannot read the date {value!r}: write YYYY, YYYY-MM or YYYY-MM-DD."),
    "hearings.bad_day": N_("Day {day} needs a month and must be between 1 and 31."),
    "hearings.month_out_of_range": N_("Month {month} is out of range (1 to 12)."),
    "hearings.title_required": N_("Hearing {key} is new: give it a title."),
    "hearings.guide_not_found": N_("Interview guide {key} not found."),
    "hearings.hearing_not_found": N_("Hearing {ref} not found."),
    "hearings.hub_not_found": N_("Hub {hub} not found (give its id, key or name)."),
    "hearings.code_not_found": N_("Code {ref} not found."),
    "hearings.code_name_empty": N_("A code needs a name."),
    "hearings.document_not_found": N_("Document {ref} not found."),
    "hearings.file_missing": N_("File not found: {file}"),
    "hearings.decode_failed": N_("Could not determine the file's encoding (save it as UTF-8 and try again)."),
    "hearings.unsupported_file": N_("Unsupported file type {suffix} (use .txt, .md or .docx)."),
    "hearings.offsets_outside": N_(
        "Offsets {start}..{end} are outside document {document} (0..{length}), or start is not before end."
    ),
    "hearings.search_not_found": N_("The search string does not occur in document {document}."),
    "hearings.occurrence_out_of_range": (
        N_("Occurrence {occurrence} asked for, but document {document} has {n} match."),
        N_("Occurrence {occurrence} asked for, but document {document} has {n} matches."),
    ),
    "hearings.apply_needs_span": N_("Give --start and --end, or --search."),
    "hearings.coder_has_no_segments": N_("Coder {coder} has no coded segments (check the name)."),
    "hearings.codebook_empty": N_("The codebook is empty: REFI-QDA needs at least one code."),
    "hearings.schema_invalid": N_(
        "{file}, line {line}: the {kind} file does not match the REFI-QDA schema at {path}: {reason}"
    ),
    "hearings.xml_unreadable": N_("{file}, line {line}: the {kind} file is not well-formed XML."),
    "hearings.qdpx_unreadable": N_("{file} is not a REFI-QDA project (.qdpx: a zip file holding project.qde)."),
    "hearings.qdpx_source_missing": N_("The source text {ref} is missing from the .qdpx file."),
    "hearings.codebook_csv_no_column": N_("{file}: no code column (path, tag or name) among the headers {columns}."),
    "hearings.codebook_csv_empty": N_("{file}, row {row}, column {column}: the code path is empty."),
    "hearings.codebook_csv_duplicate": N_(
        "{file}, row {row}, column {column}: this code path was already given in row {first}."
    ),
    "hearings.codebook_csv_name_twice": N_(
        "{file}, row {row}, column {column}: code {name!r} already has another place in row {first} "
        "(code names are unique)."
    ),
    "hearings.codebook_csv_bad_color": N_("{file}, row {row}, column {column}: {value!r} is not a colour #RRGGBB."),
    "hearings.codebook_csv_no_rows": N_("{file}: no codes in the file."),
    "hearings.document_duplicate": N_(
        "The same text is already document {id} (hearing {hearing}): not imported again "
        "(chiiki hearing documents show {id}; delete it first to move it)."
    ),
    "hearings.matrix_needs_coder": N_(
        "{n} coders ({coders}) and code tables never add coders up: give --coder NAME or --rule agreed|union."
    ),
    # warnings
    "hearings.adoption_missing": N_("Hearing {hearing}: adoption {adoption} is not in the registry."),
    "hearings.adoption_no_hub": N_("Hearing {hearing}: adoption {adoption} has no hub yet."),
    "hearings.load_registry_hint": N_(
        "Load the registry (chiiki db init), then run this again to link the hearings to hubs."
    ),
    "hearings.coders_share_no_document": N_("The two coders share no document: comparing every coded one."),
    "hearings.few_document_units": (
        N_("Only {n} document unit: agreement figures are unstable."),
        N_("Only {n} document units: agreement figures are unstable."),
    ),
    "hearings.few_segment_units": (
        N_("Only {n} character unit: agreement figures are unstable."),
        N_("Only {n} character units: agreement figures are unstable."),
    ),
    "hearings.kappa_undefined": N_("{name}: kappa is undefined (both coders constant)."),
    "hearings.matrix_several_values": N_("Some documents belong to several {by} values and count under each."),
    "hearings.no_segments": N_("No coded segments yet."),
    "hearings.qdpx_personal_left_out": (
        N_(
            "{n} document holding personal data left out, with its {segments} coded segments "
            "(--include-personal to export it)."
        ),
        N_(
            "{n} documents holding personal data left out, with their {segments} coded segments "
            "(--include-personal to export them)."
        ),
    ),
    "hearings.qdpx_samples_left_out": (
        N_("{n} sample document left out, with its {segments} coded segments."),
        N_("{n} sample documents left out, with their {segments} coded segments."),
    ),
    "hearings.qdpx_samples_marked": (
        N_("{n} source is a made-up sample (marked in its name and the chiiki:is_sample variable)."),
        N_("{n} sources are made-up samples (marked in their names and the chiiki:is_sample variable)."),
    ),
    "hearings.refi_empty_sets": N_(
        "{file}, line {line}: an empty <Sets/> (which the REFI-QDA schema forbids; Taguette writes it) was ignored."
    ),
    "hearings.qdpx_unknown_code": N_("Selection {selection} refers to an unknown code {name}: skipped."),
    "hearings.qdpx_bad_selection": N_(
        "{file}: selection {selection} ({start}..{end}) lies outside its source's text (0..{length}) "
        "or does not start before it ends: nothing imported."
    ),
    "hearings.names_hidden": (
        N_("Interviewers and {n} interviewee hidden (personal data: --include-personal to show them)."),
        N_("Interviewers and {n} interviewees hidden (personal data: --include-personal to show them)."),
    ),
    "hearings.document_is_personal": N_(
        "Flagged as holding personal data: its text leaves chiiki only with --include-personal."
    ),
    "hearings.sample_segments_left_out": (
        N_("{n} coded segment of sample documents left out (--include-samples to count it)."),
        N_("{n} coded segments of sample documents left out (--include-samples to count them)."),
    ),
    "hearings.samples_left_out": N_(
        "Made-up sample records left out: {hearings} hearings, {documents} documents (--include-samples to show them)."
    ),
    # notices (what a command did)
    "hearings.sample_mark": N_("[sample]"),
    "hearings.document_already_imported": N_(
        "The same text is already document {id} (hearing {hearing}): nothing imported."
    ),
    "hearings.documents_title": N_("Documents"),
    "hearings.document_deleted": (
        N_("Document {id} deleted, with {segments} coded segments and {turns} speaker turn."),
        N_("Document {id} deleted, with {segments} coded segments and {turns} speaker turns."),
    ),
    "hearings.frequencies_title": N_("Code frequencies ({who})"),
    "hearings.codes_by_coder": N_("coder {coder}"),
    "hearings.codes_by_rule": N_("{rule} rule over coders {coders}"),
    "hearings.hearing_added": N_("Hearing {id} ({key}) added."),
    "hearings.hearing_updated": N_("Hearing {id} ({key}) updated."),
    "hearings.document_imported": (
        N_("Document {id}: {chars} characters, encoding {encoding}, {n} speaker turn."),
        N_("Document {id}: {chars} characters, encoding {encoding}, {n} speaker turns."),
    ),
    "hearings.bundled_loaded": (
        N_("{n} hearing of the report loaded ({documents} documents)."),
        N_("{n} hearings of the report loaded ({documents} documents)."),
    ),
    "hearings.list_title": N_("Hearings"),
    "hearings.codebook_title": N_("Codebook"),
    "hearings.code_saved": N_("Code {id}: {path}"),
    "hearings.codes_loaded": (N_("{n} code loaded."), N_("{n} codes loaded.")),
    "hearings.codes_imported": (N_("{n} code imported."), N_("{n} codes imported.")),
    "hearings.codes_exported": (N_("{n} code written to {path}."), N_("{n} codes written to {path}.")),
    "hearings.segments_coded": (
        N_("{n} segment of document {document} coded {name}."),
        N_("{n} segments of document {document} coded {name}."),
    ),
    "hearings.segments_title": N_("Segments coded {name} ({n})"),
    "hearings.matrix_title": N_("Codes by {by} ({count})"),
    "hearings.agreement_title": N_("Agreement of {coder1} and {coder2} ({unit} units, n = {n})"),
    "hearings.segments_exported": (
        N_("{n} segment written to {path}."),
        N_("{n} segments written to {path}."),
    ),
    "hearings.qdpx_exported": (
        N_("{n} source with {selections} coded selections written to {path}."),
        N_("{n} sources with {selections} coded selections written to {path}."),
    ),
    "hearings.qdpx_imported": (
        N_("{n} source, {segments} new coded segments and {codes} codes read."),
        N_("{n} sources, {segments} new coded segments and {codes} codes read."),
    ),
    # the report chapter
    "hearings.chapter_has_samples": N_("Includes made-up sample documents (marked as samples in their titles)."),
    "hearings.figure_no_edges": N_("no two terms co-occur often enough in the selected documents"),
    "hearings.chapter_source": N_(
        "Source: R5-588 survey on key factors for autonomous regional innovation ecosystems, "
        "Japan Association for the Advancement of Research Cooperation (JAREC), Table 1 etc."
    ),
}
