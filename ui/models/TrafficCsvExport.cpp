// CSV export of the Traffic page's rows.
#include "models/TrafficCsvExport.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace quarry::ui {

void exportTrafficCsv(QList<telemetry::HistoryEntry> entries, const QString &path, QObject *context,
                      std::function<void(const QString &error)> done)
{
    // Answered through the application object and the guard checked on the GUI thread: the page may
    // be gone by the time the file is written, and is deleted on that thread only.
    QThreadPool::globalInstance()->start([entries = std::move(entries), path, guard = QPointer<QObject>(context),
                                          done = std::move(done)] {
        QSaveFile file(path); // all or nothing: a half-written export never replaces a good one
        QString error;
        if (file.open(QIODevice::WriteOnly | QIODevice::Text)) {
            file.write(telemetry::csvLine(telemetry::historyFieldNames()).toUtf8() + '\n');
            for (const auto &entry : entries)
                file.write(telemetry::csvLine(telemetry::historyFieldValues(entry)).toUtf8() + '\n');
        }
        if (!file.commit())
            error = file.errorString();
        QMetaObject::invokeMethod(QCoreApplication::instance(), [guard, done, error] {
            if (guard)
                done(error);
        });
    });
}

} // namespace quarry::ui
