# Reference values for tests/factors/test_cox_adjusted.py.
# Run from tests/factors:  Rscript r/cox_adjusted.R
# Writes data/lung_cc.csv (survival::lung, complete cases on the columns used; status recoded 0/1)
# and prints coxph / cox.zph results with 12+ significant digits.
suppressPackageStartupMessages(library(survival))
cat(R.version.string, "survival", format(packageVersion("survival")), "\n")
d <- survival::lung[, c("time", "status", "age", "sex", "ph.ecog", "inst")]
d <- d[complete.cases(d), ]
d$status <- d$status - 1L
rownames(d) <- NULL
write.csv(d, "data/lung_cc.csv", row.names = FALSE)
cat("n", nrow(d), "events", sum(d$status), "\n")
ctl <- coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 100)   # converge fully: compare estimates, not stopping rules
show <- function(label, fit) {
  s <- summary(fit)$coefficients
  cat("==", label, "\n")
  print(s)
  cat("loglik", format(fit$loglik, digits = 15), "\n")
  z <- cox.zph(fit, transform = "km")
  print(z$table)
}
options(width = 200, digits = 12)
show("plain: age + sex + ph.ecog", coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, ties = "efron", control = ctl))
show("strata(sex): age + ph.ecog", coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = d, ties = "efron", control = ctl))
show("strata(sex), cluster=inst: age + ph.ecog",
     coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = d, cluster = inst, ties = "efron", control = ctl))
show("cluster=inst: age + sex + ph.ecog",
     coxph(Surv(time, status) ~ age + sex + ph.ecog, data = d, cluster = inst, ties = "efron", control = ctl))
# defaults (eps 1e-9) give the same numbers to the digits compared in the tests
f0 <- coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = d, cluster = inst)
cat("default control coef", format(coef(f0), digits = 15), "\n")
# heavy ties (time in half-years, as adoption data are in whole fiscal years): Efron handling matters
d$ty <- ceiling(d$time / 182.625)
cat("ties: unique times", length(unique(d$ty)), "\n")
show("half-years, strata(sex), cluster=inst: age + ph.ecog",
     coxph(Surv(ty, status) ~ age + ph.ecog + strata(sex), data = d, cluster = inst, ties = "efron", control = ctl))
