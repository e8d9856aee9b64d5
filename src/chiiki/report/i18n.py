"""Every label the report shows, in Japanese (default) and English, in one place.

Why one dict: the study group reads Japanese, reviewers abroad read English, and a label that
exists in one language only is a bug we want to find with one grep. Characters are limited to
those of the IPAex Gothic font (no ≥, no emoji) so the PDF never shows tofu.
"""

from __future__ import annotations

LANGS = ("ja", "en")

LABELS: dict[str, tuple[str, str]] = {
    # title page
    "title": (
        "地域の自律的なイノベーション・エコシステム形成に向けた重要因子 調査報告書",
        "Key factors for autonomous regional innovation ecosystems: survey report",
    ),
    "subtitle": (
        "地域科学技術振興事業の採択データに基づく分析(研究会資料)",
        "Analysis of the selections of national regional S&T programs (study group material)",
    ),
    "generated": ("作成日時", "Generated"),
    "toc": ("目次", "Contents"),
    # sections
    "sec_summary": ("概要", "Summary"),
    "sec_coverage": ("データの収録状況", "Data coverage"),
    "sec_timeline": ("政策の変遷(事業系列・年度別の採択数)", "Policy timeline (selections per family and FY)"),
    "sec_map": ("都道府県別の採択数と後継事業獲得率", "Selections and successor rate by prefecture"),
    "sec_factors": ("重要因子の推定", "Key factors"),
    "sec_survival": ("後継事業獲得までの期間(カプラン・マイヤー)", "Time to a successor program (Kaplan-Meier)"),
    "sec_qca": ("質的比較分析(QCA)", "Qualitative comparative analysis (QCA)"),
    "sec_verdicts": ("仮説の検証結果", "Hypothesis verdicts"),
    "sec_adoptions": ("付録: 採択一覧と出典", "Appendix: selections and sources"),
    "sec_repro": ("再現性情報", "Reproducibility"),
    # summary
    "sum_programs": ("収録事業数", "Programs"),
    "sum_adoptions": ("収録採択数", "Selections"),
    "sum_fy_range": ("採択年度の範囲", "Start FY range"),
    "sum_outcome_known": ("成果(後継事業の有無)が判定できた採択", "Selections with a known outcome"),
    "sum_cutoff": ("観察打ち切り年度", "Observation cutoff FY"),
    "sum_verdicts": ("仮説の判定", "Hypothesis verdicts"),
    "sum_warnings": ("分析上の注意", "Analysis warnings"),
    "sum_findings": ("証拠が示された因子", "Factors with evidence"),
    "sum_findings_note": (
        "p値が有意水準未満の行のみ(強さの区分はエンジンの基準による)。詳細と欠測は「重要因子の推定」を参照。",
        "Only rows with p below the significance level (strength as graded by the engine). "
        "See 'Key factors' for details and missing data.",
    ),
    "sum_no_findings": (
        "有意水準を下回る因子はありませんでした(データ不足の因子を含む)。",
        "No factor fell below the significance level (including factors with too little data).",
    ),
    "sum_caveat": (
        "本報告書の数値はすべて収録データの行と出典URLにたどれます。空欄は「不明(未収録)」であり、"
        "「該当なし」ではありません。少数例に基づく結果は不確実であり、判定できない場合はその旨を記載しています。",
        "Every number traces to rows of the data and their source URLs. An empty cell means "
        "'not found', never 'none'. Results from few cases are uncertain; where a question cannot "
        "be decided the report says so.",
    ),
    "no_analysis": ("統計分析は実行できませんでした", "The statistical analysis could not be run"),
    # coverage
    "cov_intro": (
        "事業ごとに、どの項目がどれだけ判明しているかを示します。括弧内は採択数に対する割合です。",
        "For each program, how many selections have each item known (share of selections in brackets).",
    ),
    "cov_gaps": ("主な欠落", "Main gaps"),
    "cov_gap_text": (
        "{n}件中{k}件で{item}が不明です。",
        "{item} is unknown for {k} of {n} selections.",
    ),
    "gap_n_start_fy": ("開始年度", "the start FY"),
    "gap_n_end_fy": ("終了年度", "the end FY"),
    "gap_n_interim_grade": ("中間評価の結果", "the interim grade"),
    "gap_n_final_grade": ("事後評価の結果", "the final grade"),
    "gap_n_outcome_known": ("後継事業の有無(成果)", "the successor outcome"),
    "cov_sources": ("事業の出典", "Program sources"),
    "cites_note": (
        "[番号] は付録末尾の出典一覧のURLを示します。",
        "[n] refers to the numbered source list at the end of the appendix.",
    ),
    "source_list": ("出典一覧", "Source list"),
    "program": ("事業", "Program"),
    "program_id": ("事業ID", "Program ID"),
    "family": ("事業系列", "Family"),
    "n_adoptions": ("採択数", "Selections"),
    "n_start_fy": ("開始年度", "Start FY"),
    "n_end_fy": ("終了年度", "End FY"),
    "n_interim_grade": ("中間評価", "Interim grade"),
    "n_final_grade": ("事後評価", "Final grade"),
    "n_outcome_known": ("成果判定可", "Outcome known"),
    "n_successor": ("後継事業あり", "Successor"),
    "n_regional": ("地域独自予算あり", "Regional budget"),
    "total": ("合計", "Total"),
    # timeline / map
    "fy": ("年度", "FY"),
    "fiscal_year": ("採択年度(開始年度)", "Start fiscal year"),
    "selections": ("採択数", "Selections"),
    "first_fy": ("最初の採択年度", "First start FY"),
    "last_fy": ("最後の採択年度", "Last start FY"),
    "n_unknown_fy": ("開始年度不明", "Start FY unknown"),
    "timeline_note": (
        "開始年度が不明な採択{k}件はグラフに含まれていません。",
        "{k} selections with an unknown start FY are not in the chart.",
    ),
    "map_count": ("採択数", "Selections"),
    "map_rate": ("後継事業獲得率(成果判定可の採択のみ)", "Successor rate (selections with known outcome)"),
    "map_no_data": ("データなし", "no data"),
    "map_note": (
        "複数の都道府県にまたがる採択は、各都道府県に1件ずつ数えています。都道府県が不明な採択: {k}件。"
        "獲得率は成果判定可の採択が少ない都道府県では不確実です(表の件数を参照)。",
        "A selection spanning several prefectures counts once in each. Selections with no "
        "prefecture: {k}. Rates from few selections with a known outcome are uncertain (see "
        "the counts in the table).",
    ),
    "map_method_japanmap": (
        "地図: japanmap パッケージの都道府県境界(北海道・沖縄は移動表示)。",
        "Map: prefecture borders from the japanmap package (Hokkaido and Okinawa moved).",
    ),
    "map_method_tiles": (
        "地図: 47都道府県を同じ大きさの升目で配置したタイル地図(面積は実際と異なります)。",
        "Map: a tile grid of the 47 prefectures (equal-size tiles; areas are not to scale).",
    ),
    "prefecture": ("都道府県", "Prefecture"),
    "successor_rate": ("後継事業獲得率", "Successor rate"),
    # factors
    "factor": ("因子", "Factor"),
    "outcome": ("成果指標", "Outcome"),
    "method": ("手法", "Method"),
    "estimate": ("推定値", "Estimate"),
    "ci": ("95%信頼区間", "95% CI"),
    "p_value": ("p値", "p"),
    "p_adjusted": ("調整済みp値", "Adjusted p"),
    "n": ("n", "n"),
    "n_missing": ("欠測", "Missing"),
    "warnings": ("注意", "Warnings"),
    "evidence": ("証拠の強さ", "Evidence"),
    "forest_xlabel": ("オッズ比 / ハザード比(対数目盛、95%信頼区間)", "Odds ratio / hazard ratio (log scale, 95% CI)"),
    "untestable": ("推定できなかった因子", "Factors that could not be estimated"),
    "reason": ("理由", "Reason"),
    "untestable_note": (
        "括弧内は成果指標ごとの完全ケース数 n と、成果は判明しているが因子が欠測の件数です。",
        "In brackets: per outcome, complete cases n and cases with the outcome known but the factor missing.",
    ),
    "no_rows": ("該当する行はありません。", "No rows."),
    "factors_note": (
        "推定値は各因子の有無による差(オッズ比またはハザード比)です。調整済みp値は多重検定の補正後の値です。"
        "信頼区間が1をまたぐ場合、差があるとは言えません。",
        "Estimates compare selections with and without each factor (odds or hazard ratio). "
        "Adjusted p-values are corrected for multiple testing. A CI that spans 1 shows no "
        "demonstrated difference.",
    ),
    "outcome_successor": ("後継事業の獲得", "successor program"),
    "outcome_regional": ("地域予算等での継続", "regional continuation"),
    "outcome_time_to_successor": ("後継事業までの期間", "time to successor"),
    # survival
    "km_xlabel": ("事業終了からの年数", "Years after the program ended"),
    "km_ylabel": ("後継事業を未獲得の割合", "Share without a successor yet"),
    "logrank_p": ("ログランク検定 p値", "Log-rank p"),
    "cox": ("Cox比例ハザードモデル", "Cox proportional hazards"),
    "survival_missing": ("生存時間分析は実行できませんでした。理由:", "No survival analysis. Reason:"),
    "group": ("群", "Group"),
    "time": ("時間", "Time"),
    "survival": ("生存率", "Survival"),
    "at_risk": ("リスク集合", "At risk"),
    # qca
    "truth_table": ("真理表", "Truth table"),
    "conditions": ("条件", "Conditions"),
    "solutions": ("解", "Solutions"),
    "parsimonious": ("最簡解", "Parsimonious solution"),
    "complex": ("複雑解", "Complex solution"),
    "solution_fit": ("解の適合度", "Solution fit"),
    "necessity": ("必要条件の分析", "Necessity analysis"),
    "consistency": ("整合度", "Consistency"),
    "coverage": ("被覆度", "Coverage"),
    "pri": ("PRI", "PRI"),
    "cases": ("事例", "Cases"),
    "qca_missing": ("QCAは実行できませんでした。理由:", "No QCA result. Reason:"),
    "none_found": ("(なし)", "(none)"),
    # verdicts
    "hypothesis": ("仮説", "Hypothesis"),
    "status": ("判定", "Status"),
    "numbers": ("根拠となる数値", "Numbers"),
    "lofo": ("頑健性: 事業系列を1つずつ除いた再推定", "Robustness: re-estimated leaving one program family out"),
    "bootstrap": ("頑健性: ブートストラップ", "Robustness: bootstrap"),
    "status_supported": ("支持された", "supported"),
    "status_not_supported": ("支持されなかった", "not supported"),
    "status_inconclusive": ("判定できない(不確実)", "inconclusive"),
    "status_not_testable": ("検証不能(データ不足)", "not testable (too little data)"),
    # adoptions appendix
    "adoption_id": ("採択ID", "Selection ID"),
    "region": ("地域名", "Region"),
    "title_col": ("課題名", "Title"),
    "start_fy": ("開始年度", "Start FY"),
    "end_fy": ("終了年度", "End FY"),
    "interim_grade": ("中間評価", "Interim"),
    "final_grade": ("事後評価", "Final"),
    "successor": ("後継事業", "Successor"),
    "regional": ("地域独自予算", "Regional budget"),
    "excluded_reason": ("除外理由", "Exclusion reason"),
    "sources": ("出典", "Sources"),
    "yes": ("あり", "yes"),
    "no": ("なし", "no"),
    "unknown": ("不明", "unknown"),
    # exclusions
    "exclusions": ("分析から除外した採択", "Selections excluded from the analysis"),
    "count": ("件数", "Count"),
    # reproducibility
    "data_hash": ("データのスナップショット(SHA-256)", "Data snapshot (SHA-256)"),
    "parameters": ("分析パラメータ", "Parameters"),
    "parameter": ("パラメータ", "Parameter"),
    "value": ("値", "Value"),
    "versions": ("ソフトウェアのバージョン", "Software versions"),
    "chiiki_version": ("chiiki バージョン", "chiiki version"),
    "repro_note": (
        "同じデータと同じパラメータで `chiiki report` を実行すると、同じ数値が得られます。",
        "Running `chiiki report` on the same data with the same parameters gives the same numbers.",
    ),
    # sheets (xlsx: Excel limits names to 31 characters)
    "sheet_coverage": ("収録状況", "coverage"),
    "sheet_key_factors": ("重要因子", "key_factors"),
    "sheet_outcomes": ("成果", "outcomes"),
    "sheet_exclusions": ("除外", "exclusions"),
    "sheet_truth_table": ("真理表", "truth_table"),
    "sheet_solutions": ("QCA解", "solutions"),
    "sheet_necessity": ("必要条件", "necessity"),
    "sheet_km": ("KM曲線", "km_curves"),
    "sheet_verdicts": ("仮説判定", "verdicts"),
    "sheet_adoptions": ("採択と出典", "adoptions"),
    "sheet_parameters": ("パラメータ", "parameters"),
}


# Column names of engine tables shown as they are (Cox, QCA): translated when known.
COLUMNS: dict[str, tuple[str, str]] = {
    "factor": ("因子", "Factor"),
    "hazard_ratio": ("ハザード比", "Hazard ratio"),
    "ci_low": ("下限(95%)", "CI low"),
    "ci_high": ("上限(95%)", "CI high"),
    "p_value": ("p値", "p"),
    "n": ("n", "n"),
    "n_events": ("イベント数", "Events"),
    "outcome": ("成果", "Outcome"),
    "consistency": ("整合度", "Consistency"),
    "coverage": ("被覆度", "Coverage"),
    "pri": ("PRI", "PRI"),
    "cases": ("事例", "Cases"),
    "condition": ("条件", "Condition"),
    "solution": ("解", "Solution"),
    "key": ("項目", "Item"),
    "value": ("値", "Value"),
}


def column_label(name: str, lang: str = "ja") -> str:
    entry = COLUMNS.get(name)
    if entry is None:
        return name
    return entry[0] if lang == "ja" else entry[1]


class UnknownLanguageError(ValueError):
    """A report language other than ``ja`` or ``en``."""


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguageError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def t(key: str, lang: str = "ja", **values: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``values`` (KeyError if unknown)."""
    ja, en = LABELS[key]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text


def outcome_label(outcome: object, lang: str = "ja") -> str:
    """Outcome keys of the engine (successor, regional, time_to_successor) in words."""
    key = f"outcome_{outcome}"
    return t(key, lang) if key in LABELS else str(outcome)


def translator(lang: str):  # type: ignore[no-untyped-def]
    """A one-argument ``t`` bound to ``lang``, for templates."""
    check_lang(lang)

    def _t(key: str, **values: object) -> str:
        return t(key, lang, **values)

    return _t
