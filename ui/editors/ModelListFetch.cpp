// GET /v1/models through the local gateway, for the Backends form's model picker.
#include "editors/ModelListFetch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace quarry::ui {

ModelListFetch::ModelListFetch(QObject *parent, int deadlineMs)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_deadlineMs(deadlineMs)
{
}

void ModelListFetch::fetch(const QUrl &modelsUrl, const QByteArray &clientKey)
{
    if (m_reply) {
        m_reply->disconnect(this); // abandoned: its answer is for an older question
        m_reply->abort();
        m_reply->deleteLater();
    }
    QNetworkRequest request(modelsUrl);
    request.setTransferTimeout(m_deadlineMs);
    if (!clientKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + clientKey);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
}

void ModelListFetch::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    if (reply->error() != QNetworkReply::NoError) {
        Q_EMIT failed(reply->errorString());
        return;
    }
    const QStringList ids = idsIn(reply->readAll());
    if (ids.isEmpty())
        Q_EMIT failed(u"the gateway listed no models"_s);
    else
        Q_EMIT listed(ids);
}

QStringList ModelListFetch::idsIn(const QByteArray &listBody)
{
    QStringList ids;
    const QJsonArray data = QJsonDocument::fromJson(listBody).object().value(u"data"_s).toArray();
    for (const auto &entry : data) {
        const QString id = entry.toObject().value(u"id"_s).toString();
        if (!id.isEmpty() && ids.size() < kMaxModels)
            ids.append(id);
    }
    ids.sort();
    ids.removeDuplicates();
    return ids;
}

} // namespace quarry::ui
