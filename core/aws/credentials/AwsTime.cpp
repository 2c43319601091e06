// AwsTime: lenient ISO 8601 parsing, always returning UTC.
#include "aws/credentials/AwsTime.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace quarry::aws {

QDateTime AwsTime::parseIso8601(const QString &text)
{
    QString value = text.trimmed();
    if (value.endsWith(u"UTC"_s))
        value = value.chopped(3) + u'Z';
    QDateTime time = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(value, Qt::ISODate);
    if (!time.isValid())
        return {};
    if (time.timeSpec() == Qt::LocalTime) // no zone given: AWS timestamps are UTC
        time.setTimeZone(QTimeZone::utc());
    return time.toUTC();
}

} // namespace quarry::aws
