// The history file (history.sqlite): where it lives, and one SQLite connection to it with the
// settings every user of it needs (WAL, a busy timeout, the current schema).
#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

namespace quarry::telemetry {

// $QUARRY_DATA_DIR, else the platform's data location for "quarry" (~/.local/share/quarry).
// Independent of the application's organisation name, so the window and the CLI agree.
QString defaultDataDir();
QString historyPath(const QString &dataDir);

// One named QSqlDatabase connection, used on the thread that opened it only; closed and removed
// when this goes away. The window, `quarry serve` and `quarry history` may all have the file open:
// WAL lets readers run while one writer writes, and the busy timeout bounds every wait for a lock.
class HistoryConnection
{
public:
    static constexpr int CurrentSchema = 1; // PRAGMA user_version

    enum class Mode { Write, Read };

    HistoryConnection(QString path, Mode mode, int busyTimeoutMs);
    ~HistoryConnection();
    HistoryConnection(const HistoryConnection &) = delete;
    HistoryConnection &operator=(const HistoryConnection &) = delete;

    // Write: creates the directory, the file and the schema (or migrates it). Read: needs the
    // file; a file without the schema yet reads as empty (schemaVersion() == 0).
    Status open();
    bool isOpen() const { return m_db.isOpen(); }
    void close();
    QSqlDatabase &db() { return m_db; }
    int schemaVersion() const { return m_schema; }
    const QString &path() const { return m_path; }

private:
    Status createOrMigrate();

    QString m_path;
    Mode m_mode;
    int m_busyTimeoutMs;
    QString m_name;
    QSqlDatabase m_db;
    int m_schema = 0;
};

// "<what failed>: <SQLite's reason>", for one log line or banner.
QString describeSqlError(const QString &what, const QSqlError &error);

} // namespace quarry::telemetry
