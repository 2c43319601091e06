// AwsTime: the timestamp formats AWS credential sources use (ISO 8601 with or without fraction, "UTC"
// suffix).
#pragma once

#include <QDateTime>
#include <QString>

namespace quarry::aws {

class AwsTime
{
public:
    // "2024-11-05T10:07:03Z", "2024-11-05T10:07:03.123Z", "2024-11-05T10:07:03+00:00",
    // "2024-11-05T10:07:03UTC" (older AWS CLI SSO cache). Invalid QDateTime when unparsable.
    static QDateTime parseIso8601(const QString &text);
};

} // namespace quarry::aws
