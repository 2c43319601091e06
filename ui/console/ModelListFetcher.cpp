// The model picker's list: an OpenAI-style {"data": [{"id": ...}]} from the route's Models type.
#include "console/ModelListFetcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace quarry::ui {

ModelListFetcher::ModelListFetcher(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_network->setProxy(QNetworkProxy::NoProxy); // the listener is local
}

ModelListFetcher::~ModelListFetcher()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ModelListFetcher::fetch(const QUrl &route)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    QUrl url = route;
    url.setPath(route.path(QUrl::FullyEncoded) + u"/v1/models"_s, QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "quarry-console/" QUARRY_VERSION);
    if (!m_clientKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_clientKey);
    request.setTransferTimeout(DeadlineMs); // Bedrock's ListFoundationModels may be slow or unreachable
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &ModelListFetcher::onFinished);
}

void ModelListFetcher::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (status != 200) {
        // The gateway's error shape names the problem (no credentials, Bedrock refused...).
        QString why = object.value("error"_L1).toObject().value("message"_L1).toString();
        if (why.isEmpty())
            why = reply->error() == QNetworkReply::OperationCanceledError
                      ? tr("no answer within %1 s").arg(DeadlineMs / 1000)
                      : reply->errorString();
        Q_EMIT failed(status > 0 ? tr("HTTP %1: %2").arg(status).arg(why) : why);
        return;
    }
    QStringList models;
    for (const QJsonValue &model : object.value("data"_L1).toArray()) {
        const QString id = model.toObject().value("id"_L1).toString();
        if (!id.isEmpty() && !models.contains(id))
            models.append(id);
        if (models.size() >= MaxModels)
            break;
    }
    if (models.isEmpty() && !object.value("data"_L1).isArray()) {
        Q_EMIT failed(tr("the answer was not a model list"));
        return;
    }
    Q_EMIT listed(models);
}

} // namespace quarry::ui
