// Go/Gateway API durations ("30s", "1m30s", "500ms") <-> milliseconds.
#include "config/Duration.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

// Length of the unit at text[pos] and its value in ms, or 0 when there is no unit there.
int unitAt(QStringView text, qsizetype pos, qint64 *unitMs)
{
    if (text.mid(pos).startsWith(u"ms")) {
        *unitMs = 1;
        return 2;
    }
    if (pos >= text.size())
        return 0;
    switch (text[pos].unicode()) {
    case 'h':
        *unitMs = 3600000;
        return 1;
    case 'm':
        *unitMs = 60000;
        return 1;
    case 's':
        *unitMs = 1000;
        return 1;
    default:
        return 0;
    }
}

} // namespace

std::optional<qint64> parseDuration(QStringView text)
{
    qint64 total = 0;
    int components = 0;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype digitsStart = pos;
        while (pos < text.size() && text[pos] >= u'0' && text[pos] <= u'9')
            ++pos;
        const qsizetype digits = pos - digitsStart;
        if (digits < 1 || digits > 5)
            return std::nullopt;
        qint64 unitMs = 0;
        const int unitLength = unitAt(text, pos, &unitMs);
        if (unitLength == 0)
            return std::nullopt;
        total += text.mid(digitsStart, digits).toLongLong() * unitMs;
        pos += unitLength;
        ++components;
    }
    if (components < 1 || components > 4)
        return std::nullopt;
    return total;
}

QString formatDuration(qint64 milliseconds)
{
    if (milliseconds <= 0)
        return u"0s"_s;
    QString text;
    const qint64 hours = milliseconds / 3600000;
    const qint64 minutes = milliseconds / 60000 % 60;
    const qint64 seconds = milliseconds / 1000 % 60;
    const qint64 millis = milliseconds % 1000;
    if (hours)
        text += QString::number(hours) + u'h';
    if (minutes)
        text += QString::number(minutes) + u'm';
    if (seconds)
        text += QString::number(seconds) + u's';
    if (millis)
        text += QString::number(millis) + u"ms";
    return text;
}

} // namespace quarry::config
