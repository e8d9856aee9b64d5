# Reference values for tests/factors/test_competing.py.   Run from tests/factors: Rscript r/competing.R
# Writes data/competing.csv: 120 synthetic adoptions, whole-year times 1..8 (heavy ties, as fiscal
# years), cause 0 = censored (window closed at the cutoff), 1 = successor adoption, 2 = other end
# (e.g. the hub dissolved), group a/b. Prints cmprsk::cuminc estimates and variances at every jump,
# Gray's test, and the cause-specific Cox model for cause 1 (other causes censored).
suppressPackageStartupMessages({library(cmprsk); library(survival)})
cat(R.version.string, "cmprsk", format(packageVersion("cmprsk")), "survival", format(packageVersion("survival")), "\n")
options(digits = 15, width = 200)
set.seed(20261202)
n <- 120
group <- sample(c("a", "b"), n, replace = TRUE)
x <- round(rnorm(n), 2)
h1 <- ifelse(group == "a", 0.18, 0.10) * exp(0.4 * x)
t1 <- rexp(n, h1); t2 <- rexp(n, 0.07); cens <- runif(n, 2, 10)
t <- pmin(t1, t2, cens)
cause <- ifelse(t == cens, 0L, ifelse(t == t1, 1L, 2L))
time <- pmax(1, ceiling(t))
d <- data.frame(time = time, cause = cause, group = group, x = x)
write.csv(d, "data/competing.csv", row.names = FALSE)
print(table(d$time, d$cause))
ci <- cuminc(d$time, d$cause, d$group)
for (nm in setdiff(names(ci), "Tests")) {
  e <- ci[[nm]]
  keep <- seq(3, length(e$time) - 1, by = 2)  # the value after each jump (cmprsk stores step corners)
  cat("==", nm, "\n"); print(cbind(time = e$time[keep], est = e$est[keep], var = e$var[keep]))
}
print(ci$Tests)
ci1 <- cuminc(d$time, d$cause)
for (nm in names(ci1)) {
  e <- ci1[[nm]]; keep <- seq(3, length(e$time) - 1, by = 2)
  cat("== pooled", nm, "\n"); print(cbind(time = e$time[keep], est = e$est[keep], var = e$var[keep]))
}
ctl <- coxph.control(eps = 1e-11, toler.chol = 1e-13, iter.max = 100)
d$ga <- as.integer(d$group == "a")
f <- coxph(Surv(time, cause == 1) ~ ga + x, data = d, ties = "efron", control = ctl)
print(summary(f)$coefficients); print(cox.zph(f)$table)
f2 <- coxph(Surv(time, cause == 2) ~ ga + x, data = d, ties = "efron", control = ctl)
print(summary(f2)$coefficients)
