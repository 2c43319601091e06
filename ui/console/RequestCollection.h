// Saved console requests ("collections"): named raw requests kept as JSON in the data directory
// (console-requests.json beside history.sqlite). Bounded; a file that cannot be read is never
// overwritten, so nothing the user saved is lost to a bad edit or a newer format.
#pragma once

#include "client/ChatRequest.h"

#include <QList>
#include <QString>

#include <optional>

namespace quarry::ui {

struct SavedRequest
{
    QString name;
    client::ChatApi api = client::ChatApi::OpenAiChat;
    QString path; // the URL's path (and query) under the listener: the port may differ next time
    client::HeaderList headers;
    QByteArray body;
};

class RequestCollection
{
public:
    static constexpr qsizetype MaxRequests = 200;
    static constexpr qsizetype MaxBodyBytes = 256 * 1024;
    static constexpr qsizetype MaxFileBytes = 64 * 1024 * 1024; // more is not a file this wrote

    // An empty directory: nothing is kept (tests, a window without a data directory).
    explicit RequestCollection(QString dataDir);

    QString filePath() const;
    // Reads the file; false (see error()) when it exists but cannot be read. Then save() and
    // remove() refuse until the file is moved aside or fixed.
    bool load();
    QString error() const { return m_error; }
    const QList<SavedRequest> &requests() const { return m_requests; }
    std::optional<SavedRequest> find(const QString &name) const;
    // Adds or replaces the request of that name and writes the file; false with error() set.
    bool save(const SavedRequest &request);
    bool remove(const QString &name);

private:
    bool write(const QList<SavedRequest> &requests);

    QString m_dataDir;
    QList<SavedRequest> m_requests;
    QString m_error;
    bool m_unreadable = false;
};

} // namespace quarry::ui
