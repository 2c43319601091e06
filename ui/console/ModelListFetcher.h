// Asks a route for its models (GET {route}/v1/models through the local listener, as a client
// would) for the console's model picker. Asynchronous, with a deadline.
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace quarry::ui {

class ModelListFetcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int DeadlineMs = 8000;
    static constexpr qsizetype MaxModels = 2000; // a picker, not a catalogue

    explicit ModelListFetcher(QObject *parent = nullptr);
    ~ModelListFetcher() override;

    // Sent as `Authorization: Bearer KEY`: the window's own session key.
    void setClientKey(const QByteArray &key) { m_clientKey = key; }
    // Asks `route` (http://127.0.0.1:8080/bedrock); an earlier question still open is dropped.
    void fetch(const QUrl &route);

Q_SIGNALS:
    void listed(const QStringList &models);
    void failed(const QString &reason);

private:
    void onFinished();

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_clientKey;
};

} // namespace quarry::ui
