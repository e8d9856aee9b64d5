# Reference values for tests/factors/test_stratified.py.   Run: Rscript r/mantel_haenszel.R
# Tables are a, b, c, d per stratum (a = x1y1, b = x1y0, c = x0y1, d = x0y0). Each is expanded to one
# row per case and given to mantelhaen.test with factor levels c(1, 0), so R's x[1, 1, ] is the x=1, y=1
# cell, the orientation chiiki uses.
# mantelhaen.test(exact = TRUE) finds the estimate and CI with uniroot's default tolerance
# (.Machine$double.eps^0.25 ~ 1.2e-4), so its printed estimate/CI are only good to ~1e-4. The "tight"
# lines redo the same root-finding on the same density (stats:::C_d2x2xk, R's own C code) with
# tol = 1e-14; those are the values pinned at 1e-6. The exact p-value involves no root-finding.
options(digits = 15)
cat(R.version.string, "\n")
expand <- function(tab) {
  x <- integer(0); y <- integer(0); z <- integer(0)
  for (k in seq_len(nrow(tab))) {
    cnt <- tab[k, ]
    x <- c(x, rep(c(1L, 1L, 0L, 0L), cnt)); y <- c(y, rep(c(1L, 0L, 1L, 0L), cnt)); z <- c(z, rep(k, sum(cnt)))
  }
  list(x = factor(x, levels = c(1, 0)), y = factor(y, levels = c(1, 0)), z = factor(z))
}
tight <- function(x) {  # x: 2 x 2 x K array; same algorithm as mantelhaen.test(exact=TRUE), tight tolerance
  mn <- apply(x, c(2L, 3L), sum); m <- mn[1L, ]; n <- mn[2L, ]
  t <- apply(x, c(1L, 3L), sum)[1L, ]; s <- sum(x[1L, 1L, ])
  lo <- sum(pmax(0, t - n)); hi <- sum(pmin(m, t)); support <- lo:hi
  dc <- .Call(stats:::C_d2x2xk, dim(x)[3L], m, n, t, hi - lo + 1L); logdc <- log(dc)
  dn <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnf <- function(ncp) sum(support * dn(ncp))
  pn <- function(q, ncp, upper) { d <- dn(ncp); sum(d[if (upper) support >= q else support <= q]) }
  lg <- function(f, target) exp(uniroot(function(l) f(exp(l)) - target, c(-50, 50), tol = 1e-14)$root)
  est <- if (s == lo) 0 else if (s == hi) Inf else lg(mnf, s)
  lower <- if (s == lo) 0 else lg(function(p) pn(s, p, TRUE), 0.025)
  upper <- if (s == hi) Inf else lg(function(p) pn(s, p, FALSE), 0.025)
  c(estimate = est, ci_low = lower, ci_high = upper)
}
run <- function(label, tab) {
  d <- expand(tab)
  a <- mantelhaen.test(d$x, d$y, d$z)
  e <- mantelhaen.test(d$x, d$y, d$z, exact = TRUE)
  cat("==", label, "n", length(d$x), "\n")
  cat("asymptotic estimate", a$estimate, "ci", a$conf.int, "statistic", a$statistic, "p", a$p.value, "\n")
  cat("exact (R printed) estimate", e$estimate, "ci", e$conf.int, "p", e$p.value, "\n")
  cat("exact tight", tight(table(d$x, d$y, d$z)), "\n")
}
# Penicillin and rabbits, from ?mantelhaen.test (Delay None = x1, Cured = y1); strata 1/8 and 4 are
# non-informative (nobody cured / everybody cured).
rabbits <- rbind(c(0, 0, 6, 5), c(3, 0, 3, 6), c(6, 2, 0, 4), c(5, 6, 1, 0), c(2, 5, 0, 0))
rabbits <- rabbits[, c(1, 3, 2, 4)]  # R array order is x1y1, x0y1, x1y0, x0y0
run("rabbits", rabbits)
# UCBAdmissions: x1 = Male, y1 = Admitted, strata = Dept A..F
u <- UCBAdmissions
ucb <- t(sapply(1:6, function(k) c(u["Admitted", "Male", k], u["Rejected", "Male", k], u["Admitted", "Female", k], u["Rejected", "Female", k])))
print(ucb)
run("ucb", ucb)
# small: strata 1-2 informative, 3 has x=1 only (chiiki also gets a 4th stratum of one case, which
# mantelhaen.test refuses: "sample size in each stratum must be > 1")
small <- rbind(c(3, 1, 1, 4), c(2, 2, 0, 3), c(2, 1, 0, 0))
run("small", small)
