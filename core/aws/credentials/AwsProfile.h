// AwsProfile: one named profile (or sso-session) from the shared AWS files, merged across both files.
#pragma once

#include <QHash>
#include <QString>

namespace quarry::aws {

struct AwsProfile
{
    QString name;
    QHash<QString, QString> values; // keys lowercase, e.g. "role_arn", "aws_access_key_id"

    bool has(const QString &key) const { return !values.value(key).isEmpty(); }
    QString value(const QString &key) const { return values.value(key); }
};

} // namespace quarry::aws
