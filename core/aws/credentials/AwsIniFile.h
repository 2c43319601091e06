// AwsIniFile: the INI dialect of ~/.aws/config and ~/.aws/credentials, parsed as botocore parses it.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace quarry::aws {

struct AwsIniSection
{
    QString header; // the text between '[' and ']', trimmed: "profile dev", "default", "sso-session corp"
    QHash<QString, QString> values; // keys lowercased (as Python's ConfigParser does), values trimmed
    // Indented sub-sections ("s3 =\n  max_concurrent_requests = 10"): kept apart from `values` so
    // they can never be mistaken for a credential setting.
    QHash<QString, QHash<QString, QString>> nested;
};

class AwsIniFile
{
public:
    // Full-line comments start with '#' or ';'. A value may continue on indented lines. Keys and
    // values are separated by the first '=' or ':'. Repeated sections are merged, later keys win.
    static Result<QList<AwsIniSection>> parse(const QByteArray &text);

private:
    static bool parseHeader(const QString &line, QString *header);
};

} // namespace quarry::aws
