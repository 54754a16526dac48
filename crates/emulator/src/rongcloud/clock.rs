//! The vendor's `createTime` format (the current time is the state's [`crate::Clock`]).

/// `YYYY-MM-DD HH:MM:SS` in Beijing time (UTC+8, the vendor's default data center; the time
/// zone of `createTime` is not documented — unconfirmed).
pub(crate) fn format_create_time(unix_secs: u64) -> String {
    let t = unix_secs + 8 * 3600;
    let days = t / 86_400;
    let rem = t % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_beijing_time() {
        assert_eq!(format_create_time(0), "1970-01-01 08:00:00");
        // 2016-05-24 02:38:19 UTC.
        assert_eq!(format_create_time(1_464_057_499), "2016-05-24 10:38:19");
        // 2024-02-29 16:00:00 UTC is 2024-03-01 in Beijing.
        assert_eq!(format_create_time(1_709_222_400), "2024-03-01 00:00:00");
    }
}
