// Fetches the model IDs a backend offers from the running gateway's /v1/models on a route that
// uses it (the gateway lists the Region's foundation models and inference profiles through
// ListFoundationModels / ListInferenceProfiles, with the backend's own credentials, and caches
// them). Asynchronous with a deadline: the GUI never waits on Bedrock.
#pragma once

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace quarry::ui {

class ModelListFetch : public QObject
{
    Q_OBJECT
public:
    // Long enough for two control-plane calls; after it the picker keeps what it had.
    static constexpr int kDefaultDeadlineMs = 8000;
    // More IDs than this is not a list a picker can show; the rest are left out.
    static constexpr int kMaxModels = 500;

    explicit ModelListFetch(QObject *parent = nullptr, int deadlineMs = kDefaultDeadlineMs);

    // Starts a fetch; one in flight at a time, so a newer one abandons the older.
    void fetch(const QUrl &modelsUrl, const QByteArray &clientKey);
    bool isBusy() const { return m_reply != nullptr; }

    // The IDs in an OpenAI model list body ({"data": [{"id": ...}]}), sorted.
    static QStringList idsIn(const QByteArray &listBody);

Q_SIGNALS:
    void listed(const QStringList &ids);
    void failed(const QString &why);

private:
    void onFinished(QNetworkReply *reply);

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    int m_deadlineMs;
};

} // namespace quarry::ui
