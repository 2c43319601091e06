// Today's date in local time, cheaply: QDateTime::currentDateTime() re-reads the time zone (tzset,
// a stat of /etc/localtime) on every call, which showed in the profile of every priced request.
#pragma once

#include <QDate>
#include <QDateTime>

#include <algorithm>

namespace quarry::util {

// The answer is kept per thread until the next local midnight, and at most a minute, so a change
// of time zone or a clock set back is seen within that minute.
inline QDate localToday()
{
    struct Cached
    {
        QDate day;
        qint64 validUntilMs = 0; // UTC, ms since the epoch
    };
    thread_local Cached cached;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (nowMs >= cached.validUntilMs || nowMs < cached.validUntilMs - 60'000) {
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs).toLocalTime();
        cached.day = now.date();
        const qint64 midnightMs = now.date().addDays(1).startOfDay().toMSecsSinceEpoch();
        cached.validUntilMs = std::min(midnightMs, nowMs + 60'000);
    }
    return cached.day;
}

} // namespace quarry::util
