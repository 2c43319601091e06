// Opening history.sqlite: location, pragmas, schema and its version.
#include "telemetry/HistoryDatabase.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

QString defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUARRY_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/quarry"_s;
}

QString historyPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"history.sqlite"_s);
}

QString describeSqlError(const QString &what, const QSqlError &error)
{
    const QString reason = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return reason.isEmpty() ? what : what + u": "_s + reason;
}

namespace {

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"quarry-history-%1"_s.arg(++counter);
}

// Version 1. Times are milliseconds since the epoch (UTC), so ranges use the index; cost is NULL
// when the request was not priced. Captures live apart, one row per request that still has them.
const char *const SchemaV1[] = {
    "CREATE TABLE requests ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, request_id INTEGER NOT NULL,"
    " client TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, route TEXT NOT NULL,"
    " backend TEXT NOT NULL, provider TEXT NOT NULL, api TEXT NOT NULL, model TEXT NOT NULL,"
    " status INTEGER NOT NULL, error_type TEXT NOT NULL, error TEXT NOT NULL, stop_reason TEXT NOT NULL,"
    " streamed INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER NOT NULL,"
    " tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, cache_read INTEGER NOT NULL,"
    " cache_write INTEGER NOT NULL, cost_usd REAL)",
    "CREATE INDEX requests_time ON requests(time_ms)",
    "CREATE TABLE captures ("
    " request INTEGER PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,"
    " client_request BLOB, client_response BLOB, upstream_request BLOB, upstream_response BLOB)",
};

} // namespace

HistoryConnection::HistoryConnection(QString path, Mode mode, int busyTimeoutMs)
    : m_path(std::move(path)), m_mode(mode), m_busyTimeoutMs(busyTimeoutMs), m_name(uniqueConnectionName())
{
}

HistoryConnection::~HistoryConnection()
{
    close();
}

void HistoryConnection::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Status HistoryConnection::open()
{
    close();
    m_schema = 0;
    if (m_mode == Mode::Write && !QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return Status::failure(u"cannot create the directory of %1"_s.arg(m_path));
    if (m_mode == Mode::Read && !QFileInfo::exists(m_path))
        return Ok{}; // nothing recorded yet: reads find nothing
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(m_busyTimeoutMs));
    if (!m_db.open())
        return Status::failure(describeSqlError(u"cannot open %1"_s.arg(m_path), m_db.lastError()));
    QSqlQuery query(m_db);
    // WAL: readers never block the writer nor it them. NORMAL sync is durable in WAL mode except
    // for the last commits on power loss, which is fine for a log of requests.
    if (m_mode == Mode::Write) {
        // auto_vacuum first: on a new file, WAL mode would create it without (and it cannot be
        // turned on later without a full VACUUM). On an existing file this changes nothing.
        for (const char *pragma : {"PRAGMA auto_vacuum=INCREMENTAL", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (!query.exec(QString::fromLatin1(pragma)))
                return Status::failure(describeSqlError(u"cannot set up %1"_s.arg(m_path), query.lastError()));
        }
    }
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return Status::failure(describeSqlError(u"cannot read %1"_s.arg(m_path), query.lastError()));
    m_schema = query.value(0).toInt();
    if (m_schema > CurrentSchema)
        return Status::failure(u"%1 was written by a newer Quarry (schema %2)"_s.arg(m_path).arg(m_schema));
    if (m_mode == Mode::Write)
        return createOrMigrate();
    return Ok{};
}

Status HistoryConnection::createOrMigrate()
{
    if (m_schema == CurrentSchema)
        return Ok{};
    QSqlQuery query(m_db);
    // IMMEDIATE takes the write lock now, so two processes creating the file do it one at a time.
    if (!query.exec(u"BEGIN IMMEDIATE"_s))
        return Status::failure(describeSqlError(u"cannot create %1"_s.arg(m_path), query.lastError()));
    // Another process may have created it between our read of user_version and the lock.
    if (query.exec(u"PRAGMA user_version"_s) && query.next() && query.value(0).toInt() == CurrentSchema) {
        query.exec(u"COMMIT"_s);
        m_schema = CurrentSchema;
        return Ok{};
    }
    // Later versions add a case per step here (ALTER TABLE ...), from m_schema up.
    for (const char *statement : SchemaV1) {
        if (!query.exec(QString::fromLatin1(statement))) {
            const QSqlError error = query.lastError();
            query.exec(u"ROLLBACK"_s);
            return Status::failure(describeSqlError(u"cannot create %1"_s.arg(m_path), error));
        }
    }
    query.exec(u"PRAGMA user_version=%1"_s.arg(CurrentSchema));
    if (!query.exec(u"COMMIT"_s))
        return Status::failure(describeSqlError(u"cannot create %1"_s.arg(m_path), query.lastError()));
    m_schema = CurrentSchema;
    return Ok{};
}

} // namespace quarry::telemetry
