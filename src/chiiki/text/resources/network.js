// Force layout for chiiki co-occurrence networks: no dependencies, works offline.
const data = JSON.parse(document.getElementById('net-data').textContent);
const cv = document.getElementById('net'), ctx = cv.getContext('2d');
const W = cv.width, H = cv.height, N = data.nodes.length;
let seed = 42; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const idx = {}; data.nodes.forEach((n, i) => { idx[n.id] = i; n.x = W/2 + (rnd()-0.5)*W*0.6;
  n.y = H/2 + (rnd()-0.5)*H*0.6; n.vx = 0; n.vy = 0; });
const maxDf = Math.max(1, ...data.nodes.map(n => n.df));
data.nodes.forEach(n => n.r = 8 + 22 * n.df / maxDf);
const links = data.edges.map(e => ({s: data.nodes[idx[e.a]], t: data.nodes[idx[e.b]], w: e.weight, co: e.co}));
let drag = null, alpha = 1;
function step() {
  const k = Math.sqrt(W * H / Math.max(1, N)) * 0.5;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    const a = data.nodes[i], b = data.nodes[j]; let dx = a.x - b.x, dy = a.y - b.y;
    const d2 = Math.max(dx*dx + dy*dy, 1), f = k * k / d2 * 0.05 * alpha;
    a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f; }
  links.forEach(l => { const dx = l.t.x - l.s.x, dy = l.t.y - l.s.y, d = Math.sqrt(dx*dx+dy*dy) || 1;
    const f = (d - k * 0.6) / d * 0.02 * (0.5 + l.w) * alpha;
    l.s.vx += dx * f; l.s.vy += dy * f; l.t.vx -= dx * f; l.t.vy -= dy * f; });
  data.nodes.forEach(n => { n.vx += (W/2 - n.x) * 0.002 * alpha; n.vy += (H/2 - n.y) * 0.002 * alpha;
    if (n !== drag) { n.x += n.vx; n.y += n.vy; }
    n.vx *= 0.6; n.vy *= 0.6; n.x = Math.min(W - n.r, Math.max(n.r, n.x));
    n.y = Math.min(H - n.r, Math.max(n.r, n.y)); });
  alpha = Math.max(alpha * 0.995, 0.02);
}
function draw() {
  ctx.clearRect(0, 0, W, H);
  links.forEach(l => { ctx.strokeStyle = '#999'; ctx.lineWidth = 0.5 + 4 * l.w;
    ctx.beginPath(); ctx.moveTo(l.s.x, l.s.y); ctx.lineTo(l.t.x, l.t.y); ctx.stroke(); });
  data.nodes.forEach(n => { ctx.fillStyle = data.palette[(n.community - 1) % data.palette.length];
    ctx.beginPath(); ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI); ctx.fill();
    ctx.lineWidth = n.forced ? 2.5 : 0.5; ctx.strokeStyle = n.forced ? '#000' : '#666'; ctx.stroke();
    ctx.fillStyle = '#000'; ctx.font = '13px sans-serif'; ctx.textAlign = 'center';
    ctx.fillText(n.id, n.x, n.y + 4); });
}
function tick() { step(); draw(); requestAnimationFrame(tick); }
const at = ev => { const r = cv.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; };
cv.addEventListener('mousedown', ev => { const [x, y] = at(ev);
  drag = data.nodes.find(n => (n.x-x)**2 + (n.y-y)**2 < n.r*n.r) || null; alpha = Math.max(alpha, 0.3); });
cv.addEventListener('mousemove', ev => { const [x, y] = at(ev);
  if (drag) { drag.x = x; drag.y = y; }
  const h = data.nodes.find(n => (n.x-x)**2 + (n.y-y)**2 < n.r*n.r);
  document.getElementById('info').textContent = h ?
    `${h.id}  df=${h.df}  tf=${h.tf}  community=${h.community}${h.forced ? '  ' + data.forcedLabel : ''}` : ''; });
window.addEventListener('mouseup', () => { drag = null; });
tick();
