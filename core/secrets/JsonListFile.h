// A small versioned JSON file in the config directory that holds one list:
// {"version": 1, "<listKey>": [...]}. The secret catalogue and the client-key list are two.
#pragma once

#include "util/Result.h"

#include <QJsonArray>
#include <QString>

namespace quarry::secrets {

class JsonListFile
{
public:
    // what names the file in errors: "a Quarry secret catalog".
    JsonListFile(QString path, QString listKey, QString what);

    // The list; empty when the file does not exist. A file that is not this list is an error
    // that names it and says to fix or delete it. Reads at most MaxBytes.
    Result<QJsonArray> read() const;
    // Written 0600 (ConfigDirLock::writePrivateFile); callers hold the config lock.
    Status write(const QJsonArray &list) const;

    const QString &path() const { return m_path; }

    static constexpr qint64 MaxBytes = 4 * 1024 * 1024;
    static constexpr int Version = 1;

private:
    QString m_path;
    QString m_listKey;
    QString m_what;
};

} // namespace quarry::secrets
