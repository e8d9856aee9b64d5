"""The interactive network page runs: its inline JS is executed with Node and a stub canvas."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from chiiki.text import Doc, cooccurrence

STUB = r"""
const payload = %s;
const stubCtx = new Proxy({}, {
  get: (t, k) => (k in t ? t[k] : () => {}),
  set: (t, k, v) => { t[k] = v; return true; }});
const stubCanvas = {width: 1000, height: 700, getContext: () => stubCtx, addEventListener: () => {},
  getBoundingClientRect: () => ({left: 0, top: 0})};
const info = {textContent: ''};
global.document = {getElementById: id => id === 'net' ? stubCanvas : id === 'net-data' ?
  {textContent: payload} : info};
global.window = {addEventListener: () => {}};
let frames = 0;
global.requestAnimationFrame = f => { if (++frames < 300) f(); };
%s
const out = data.nodes.map(n => [n.id, n.x, n.y]);
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_html_layout_runs_offline(tmp_path, tokenizer):
    docs = [Doc(f"d{i}", "人材と資金と拠点とコーディネーター。", {}) for i in range(3)]
    page = cooccurrence(docs, tokenizer, min_df=1).to_html(tmp_path / "n.html").read_text(encoding="utf-8")
    data = re.search(r'id="net-data">(.*?)</script>', page, re.S).group(1)
    js = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    script = tmp_path / "run.js"
    script.write_text(STUB % (json.dumps(data), js), encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    nodes = json.loads(out.stdout)
    assert {n[0] for n in nodes} == {"人材", "資金", "拠点", "コーディネーター"}
    for _, x, y in nodes:
        assert 0 <= x <= 1000 and 0 <= y <= 700
    assert len({(round(x), round(y)) for _, x, y in nodes}) == 4  # the layout spread them out
