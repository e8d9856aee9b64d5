"""Messages of the program registry (codes ``registry.*``): import errors and their reasons,
what a command did, how a successor link was found.

Each is an English template; the Japanese lives in the catalogue. A reason is a message of its
own, passed to the row error as the parameter ``reason`` (a message inside a message), so a web
page and the CLI render the same words in the reader's language.
"""

from chiiki.i18n import N_

MESSAGES = {
    # -- import: the file and its rows ---------------------------------------------------------
    "registry.import_failed": (
        N_("{file}: {n} error; nothing was imported (the database is unchanged)."),
        N_("{file}: {n} errors; nothing was imported (the database is unchanged)."),
    ),
    "registry.overrides_failed": (
        N_("{file}: {n} error in the override file; nothing was changed."),
        N_("{file}: {n} errors in the override file; nothing was changed."),
    ),
    "registry.row_error": N_("{file}: row {row}, column {column}: {reason}"),
    "registry.row_error_value": N_("{file}: row {row}, column {column}: {reason} (value: {value})"),
    "registry.more_errors": (N_("… and {n} more error"), N_("… and {n} more errors")),
    "registry.bad_header_row": N_("the header row must be a row number, 1 or more: {row}"),
    "registry.unknown_table": N_("unknown table {table} (choose from {choices})"),
    # -- import: reasons (the ``reason`` of a row error) ----------------------------------------
    "registry.required_value_empty": N_("required value is empty"),
    "registry.required_column_missing": N_("required column is missing from the header row"),
    "registry.unknown_program_id": N_(
        "unknown program id {program_id} (import the programs first, or give the program name instead)"
    ),
    "registry.no_program": N_("no program: give program_id or the program name"),
    "registry.end_before_start": N_("end FY {end} is before start FY {start}"),
    "registry.no_region_or_title": N_("neither the area name (region_name) nor the title is given"),
    "registry.unknown_predecessor": N_("unknown predecessor program"),
    "registry.duplicate_key": N_("duplicate key: the same row appears earlier in this file"),
    "registry.unknown_value": N_("unknown {field} (expected one of {expected})"),
    "registry.self_link": N_("an adoption cannot succeed itself: {adoption_id}"),
    "registry.unknown_adoption": N_("{field} {adoption_id} is not in the registry"),
    "registry.invalid_value": N_("invalid value: {detail}"),
    "registry.unknown_program_name": N_(
        "unknown program (closest known: {closest}); correct the name, give program_id, or import with "
        "--new-program to create it"
    ),
    "registry.unknown_program_name_none": N_(
        "unknown program; give a known program name or program_id, or import with --new-program to create it"
    ),
    "registry.ambiguous_adoption": N_(
        "no adoption_id, and several adoptions of {program_id} starting FY{start_fy} in {prefectures} could be "
        "the one this row corrects: {candidates} (give its adoption_id)"
    ),
    # -- import: what was done -----------------------------------------------------------------
    "registry.imported": (
        N_(
            "imported: {file} [{table}, {encoding}] {n} row — inserted {inserted}, updated {updated}, "
            "unchanged {unchanged}"
        ),
        N_(
            "imported: {file} [{table}, {encoding}] {n} rows — inserted {inserted}, updated {updated}, "
            "unchanged {unchanged}"
        ),
    ),
    "registry.dry_run": (
        N_(
            "dry run (nothing written): {file} [{table}, {encoding}] {n} row — inserted {inserted}, "
            "updated {updated}, unchanged {unchanged}"
        ),
        N_(
            "dry run (nothing written): {file} [{table}, {encoding}] {n} rows — inserted {inserted}, "
            "updated {updated}, unchanged {unchanged}"
        ),
    ),
    "registry.ignored_columns": N_("ignored columns: {columns}"),
    "registry.new_programs": N_("new programs: {programs}"),
    "registry.hubs_refreshed": N_("hubs {hubs} ({multi} with several adoptions)"),
    "registry.row_updates_adoption": N_("row {row} updates adoption {adoption_id} ({change})"),
    "registry.row_is_adoption": N_(
        "row {row} is adoption {adoption_id} (same program, start FY and prefectures; no adoption_id given)"
    ),
    "registry.title_changed": N_("title changed: {old} → {new}"),
    "registry.area_changed": N_("area name changed: {old} → {new}"),
    "registry.title_area_changed": N_("title changed: {old} → {new}; area name changed: {old_area} → {new_area}"),
    "registry.more_matches": (
        N_("… and {n} more row matched to an existing adoption"),
        N_("… and {n} more rows matched to an existing adoption"),
    ),
    "registry.table_found": N_("table read from sheet {sheet}, header in row {row}"),
    # -- adoptions merge -----------------------------------------------------------------------
    "registry.merged": N_(
        "adoption {absorbed} merged into {kept}: {moved} references moved, {dropped} duplicates dropped"
    ),
    "registry.merge_dry_run": N_(
        "dry run (nothing written): merging {absorbed} into {kept} would move {moved} references and drop "
        "{dropped} duplicates"
    ),
    "registry.merge_missing": N_("there is no adoption {adoption_id}"),
    "registry.merge_same": N_("an adoption cannot be merged into itself: {adoption_id}"),
    "registry.merge_moved": N_("{table}.{column}: {n} moved, {dropped} duplicates dropped"),
    # -- writers at the same time, unreachable databases ----------------------------------------
    "registry.write_conflict": N_(
        "another process changed the database at the same time; this change failed {attempts} times and "
        "nothing of it was written (run it again): {detail}"
    ),
    "registry.database_busy": N_(
        "the database {db} is busy: another chiiki process has been writing for more than {seconds} s; "
        "nothing was written (run it again when that process has finished)"
    ),
    "registry.no_server_database": N_(
        "there is no database {db} on the server: check the name in --db / CHIIKI_DB_URL (chiiki creates "
        "the tables, not the database)"
    ),
    "registry.database_unreachable": N_("cannot connect to the database {db}: {detail}"),
    # -- database ------------------------------------------------------------------------------
    "registry.init_loaded": (
        N_("bundled data loaded ({n} new row): {db}"),
        N_("bundled data loaded ({n} new rows): {db}"),
    ),
    "registry.init_empty": N_("empty schema ready: {db}"),
    "registry.hearing_adoption_missing": N_("hearing {hearing}: adoption {adoption_id} is not in the registry"),
    "registry.hearing_adoption_no_hub": N_("hearing {hearing}: adoption {adoption_id} has no hub yet"),
    "registry.hearing_warning": N_("bundled hearings: {detail}"),
    "registry.no_schema": N_("no schema yet: run `chiiki db init` first"),
    "registry.migrated": N_("schema: {before} → {after}"),
    "registry.dropped": N_("every chiiki table of {db} was dropped"),
    "registry.bad_window": N_("the window must be a whole number of fiscal years, 1 or more: {window}"),
    "registry.lineage_rebuilt": N_("rule links {rule_links}, fixed links {fixed_links}, hubs {hubs}"),
    # -- export --------------------------------------------------------------------------------
    "registry.exported": (N_("{n} row → {path}"), N_("{n} rows → {path}")),
    "registry.exported_stream": (N_("{n} row of {table} written"), N_("{n} rows of {table} written")),
    "registry.no_adoption": N_("no adoption {id}"),
    "registry.unknown_format": N_("unknown format {fmt} (choose from {choices})"),
    "registry.xlsx_needs_file": N_("XLSX needs an output file (-o FILE)"),
    "registry.unknown_encoding": N_("unknown encoding {encoding}"),
    "registry.export_lossy": N_(
        "{encoding} has no exact form of {chars}: written as the nearest look-alike, so an import of this file "
        "changes them (use utf-8 or utf-8-sig to keep them)"
    ),
    "registry.unencodable": N_("table {table} holds a character that {encoding} cannot write: {char}"),
    # -- queries -------------------------------------------------------------------------------
    "registry.bad_filter": N_("{filter}: {reason} (value: {value})"),
    "registry.per_program_title": N_("adoptions per program, and how many record a start FY, end FY and grades"),
    "registry.adoptions_title": (N_("{n} adoption"), N_("{n} adoptions")),
    "registry.no_hub": N_("no hub matches {name}"),
    "registry.timeline_title": N_("policy timeline (selections per start FY)"),
    "registry.duplicates_title": (N_("{n} candidate pair"), N_("{n} candidate pairs")),
    "registry.dup_contained": N_("{shorter} is contained in {longer} (a sub-unit or a longer form)"),
    "registry.dup_prefecture_suffix": N_("same name apart from the prefecture suffix (ken)"),
    # -- successor links: what links two adoptions ----------------------------------------------
    "registry.basis.stated": N_("stated in a source"),
    "registry.basis.rule": N_("rule"),
    "registry.basis.manual": N_("manual"),
    "registry.basis.reject": N_("rejected"),
    "registry.rule_link": N_("rule: same prefecture {prefectures}; {reasons}; {timing} (window {window})"),
    "registry.rule_shared_municipality": N_("shared municipality {names}"),
    "registry.rule_same_core": N_("same core institution"),
    "registry.rule_shared_word": N_("shared area-name word {names}"),
    "registry.rule_whole_prefecture": N_("both areas cover the whole prefecture"),
    "registry.rule_timing_after": (
        N_("starts FY{start}, {n} year after end FY{end}"),
        N_("starts FY{start}, {n} years after end FY{end}"),
    ),
    "registry.rule_timing_before": N_("starts FY{start}, before end FY{end}"),
    "registry.rule_manual_default": N_("manual link (imported)"),
    "registry.join_clauses": N_("{first} and {rest}"),
    "registry.join_names": N_("{first}/{rest}"),
    # -- events after an adoption ---------------------------------------------------------------
    "registry.event.successor_adoption": N_("successor adoption"),
    "registry.event.regional_budget": N_("regional budget"),
    "registry.event.hub_organization": N_("hub organization"),
    "registry.event.other": N_("other event"),
    "registry.evaluation_before_program": N_("the ex-post evaluation FY {fy} is before {field} {bound}"),
}
