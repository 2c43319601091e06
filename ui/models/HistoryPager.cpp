// Runs HistoryReader on a background thread for the Traffic page.
#include "models/HistoryPager.h"

#include "telemetry/HistoryReader.h"

#include <QDeadlineTimer>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// The reader must live and die on the thread that uses its connection.
class ReaderHost : public QObject
{
public:
    explicit ReaderHost(QString path) : m_path(std::move(path)) {}
    telemetry::HistoryReader &reader()
    {
        if (!m_reader)
            m_reader = std::make_unique<telemetry::HistoryReader>(m_path);
        return *m_reader;
    }

private:
    QString m_path;
    std::unique_ptr<telemetry::HistoryReader> m_reader;
};

} // namespace

// The thread is a child (findChild finds it by name): tests hold it to show reads never wait on the
// GUI thread.
HistoryPager::HistoryPager(const QString &path, QObject *parent) : QObject(parent), m_thread(this)
{
    m_thread.setObjectName(u"quarry-history-reader"_s);
    m_host = new ReaderHost(path);
    m_host->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_host, &QObject::deleteLater);
    m_thread.start(QThread::LowPriority);
}

HistoryPager::~HistoryPager()
{
    m_thread.quit();
    if (!m_thread.wait(QDeadlineTimer(10000))) {
        m_thread.terminate(); // a read stuck beyond every SQLite timeout: do not hang the exit
        m_thread.wait(QDeadlineTimer(1000));
    }
}

// Each request runs on the reader's thread; its answer is queued back to this object, and dropped
// by Qt if the page went away meanwhile.
void HistoryPager::requestPage(quint64 ticket, const telemetry::HistoryQuery &query)
{
    auto *host = static_cast<ReaderHost *>(m_host);
    QMetaObject::invokeMethod(host, [this, host, ticket, query] {
        const auto entries = host->reader().entries(query);
        const QList<telemetry::HistoryEntry> found = entries ? *entries : QList<telemetry::HistoryEntry>();
        const QString error = entries ? QString() : entries.error();
        QMetaObject::invokeMethod(this, [this, ticket, found, error] { Q_EMIT pageLoaded(ticket, found, error); });
    });
}

void HistoryPager::requestCaptures(qint64 row)
{
    auto *host = static_cast<ReaderHost *>(m_host);
    QMetaObject::invokeMethod(host, [this, host, row] {
        telemetry::TrafficRecord captures;
        const auto loaded = host->reader().loadCaptures(row, captures);
        const bool found = loaded && *loaded;
        QMetaObject::invokeMethod(this, [this, row, captures, found] { Q_EMIT capturesLoaded(row, captures, found); });
    });
}

void HistoryPager::requestRoutes()
{
    auto *host = static_cast<ReaderHost *>(m_host);
    QMetaObject::invokeMethod(host, [this, host] {
        const auto routes = host->reader().routes();
        const QStringList found = routes ? *routes : QStringList();
        QMetaObject::invokeMethod(this, [this, found] { Q_EMIT routesLoaded(found); });
    });
}

void HistoryPager::requestTotals(telemetry::HistoryReader::GroupBy by, const telemetry::HistoryQuery &query)
{
    auto *host = static_cast<ReaderHost *>(m_host);
    QMetaObject::invokeMethod(host, [this, host, by, query] {
        const auto totals = host->reader().totals(by, query);
        const QList<telemetry::HistoryTotals> found = totals ? *totals : QList<telemetry::HistoryTotals>();
        const QString error = totals ? QString() : totals.error();
        QMetaObject::invokeMethod(this, [this, by, found, error] { Q_EMIT totalsLoaded(by, found, error); });
    });
}

} // namespace quarry::ui
