-- Credits, prices and balances hold what a panel held: XC keeps credits in
-- a float column, and real panels carry balances of 10^12 and more, which
-- numeric(14,2) refused (one such reseller aborted a whole XC import).
-- numeric(30,2) keeps cents exact to 10^28; widening a numeric with the
-- same scale rewrites nothing.
ALTER TABLE resellers ALTER COLUMN credits TYPE numeric(30,2);
ALTER TABLE reseller_packages ALTER COLUMN price_credits TYPE numeric(30,2);
ALTER TABLE reseller_credit_log ALTER COLUMN delta TYPE numeric(30,2),
    ALTER COLUMN balance_after TYPE numeric(30,2),
    ALTER COLUMN balance_before TYPE numeric(30,2);
ALTER TABLE packages ALTER COLUMN price TYPE numeric(30,2);
ALTER TABLE subscribers ALTER COLUMN balance TYPE numeric(30,2);
