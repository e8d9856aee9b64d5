# Reference for tests/factors/test_sandwich.py: GEE logistic regression with an independence working
# correlation (its coefficients are the ML ones) and the robust sandwich SE, clusters = hub.
# R 4.2.2, geepack 1.3.9:  Rscript tests/factors/r/sandwich.R
library(geepack)
d <- read.csv("tests/factors/data/clustered_logit.csv")
d <- d[order(d$hub), ]
fit <- geeglm(y ~ x + z, id = hub, data = d, family = binomial, corstr = "independence")
s <- summary(fit)$coefficients
options(digits = 15)
print(s)
