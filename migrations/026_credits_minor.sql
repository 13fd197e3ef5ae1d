-- Credits travel as int64 minor units (hundredths) on the wire and in Go,
-- never as floats. numeric(30,2) holds far more than an int64 of cents, so
-- the balance and the prices are capped at api.MaxCreditsMinor
-- (9,999,999,999,999,999.99): two such amounts still add up inside an
-- int64, and every read casts (credits * 100)::bigint exactly. Amounts an
-- XC import brought in above the cap are lowered to it first.
UPDATE resellers SET credits = 9999999999999999.99 WHERE credits > 9999999999999999.99;
UPDATE reseller_packages SET price_credits = 9999999999999999.99 WHERE price_credits > 9999999999999999.99;
ALTER TABLE resellers ADD CONSTRAINT resellers_credits_minor_range CHECK (credits <= 9999999999999999.99);
ALTER TABLE reseller_packages ADD CONSTRAINT reseller_packages_price_minor_range
    CHECK (price_credits <= 9999999999999999.99);
