//! UTC times as the stores write them: SQLite's `2026-12-02 10:11:12.345` and OpenBao's
//! RFC 3339 `2026-12-02T10:11:12.345678901Z`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `text` as a time: a date, `T` or a space, a time with optional fraction, then nothing, `Z`
/// or `+00:00`. `None` for anything else, so that an odd time is only not compared.
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))
        .unwrap_or(text);
    let (date, time) = text.split_once(['T', ' '])?;
    let mut date = date.splitn(3, '-').map(str::parse::<i64>);
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock = clock.splitn(3, ':').map(str::parse::<u64>);
    let (hours, minutes, seconds) = (
        clock.next()?.ok()?,
        clock.next()?.ok()?,
        clock.next()?.ok()?,
    );
    // Years past 9999 are no time a store writes, and would overflow the arithmetic below.
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hours > 23
        || minutes > 59
        || seconds > 60
    {
        return None;
    }
    let nanos: u32 = if fraction.is_empty() {
        0
    } else {
        let digits: String = fraction.chars().take(9).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        format!("{digits:0<9}").parse().ok()?
    };
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    let secs = days * 86_400 + hours * 3_600 + minutes * 60 + seconds;
    UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

/// Days from 1970-01-01 to the date, in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_stores_formats_read_as_the_same_instant() {
        let at = |secs: u64, nanos: u32| Some(UNIX_EPOCH + Duration::new(secs, nanos));
        assert_eq!(parse_utc("1970-01-01 00:00:00"), at(0, 0));
        assert_eq!(parse_utc("2000-03-01T00:00:00Z"), at(951_868_800, 0));
        assert_eq!(
            parse_utc("2026-12-02 10:11:12.345"),
            parse_utc("2026-12-02T10:11:12.345000000Z")
        );
        assert_eq!(
            parse_utc("2026-12-02T10:11:12.123456789+00:00"),
            at(1_796_206_272, 123_456_789)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01 00:00:00",
            "2026-12-02",
            "2026-12-02T10:11:12.x",
            "9223372036854775807-01-01T00:00:00Z",
            "1969-12-31 23:59:59",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }
}
