// Lists models for OpenAI-style clients from the backend's config or Bedrock's control plane.
#include "gateway/ModelsExchange.h"

#include "gateway/ModelsCache.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

QJsonObject modelEntry(const QString &id, const QString &ownedBy)
{
    return {{u"id"_s, id},
            {u"object"_s, u"model"_s},
            {u"created"_s, 0},
            {u"owned_by"_s, ownedBy.isEmpty() ? u"aws-bedrock"_s : ownedBy}};
}

QByteArray listBody(const QJsonArray &models)
{
    return QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, models}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

BedrockEndpoint ModelsExchange::controlPlaneFor(const BedrockEndpoint &runtime)
{
    if (runtime.host != BedrockEndpoint::forRegion(runtime.region).host)
        return runtime;
    BedrockEndpoint controlPlane = runtime;
    controlPlane.host = u"bedrock."_s + runtime.region + u".amazonaws.com"_s;
    controlPlane.pathPrefix.clear();
    return controlPlane;
}

void ModelsExchange::begin()
{
    if (target().name.isEmpty()) {
        return fail({500, u"api_error"_s, u"backend_not_found"_s,
                     u"Route %1 sends requests to backend %2, which does not exist. Create it with quarry "
                     "apply -f, or fix the route's backendRefs."_s.arg(record().route, record().backend)});
    }
    if (!target().model.isEmpty()) {
        // A backend that fixes its model answers every request with it: that is the one model there is.
        return respond(200, "application/json", listBody({modelEntry(target().model, {})}));
    }
    if (const auto cached = ModelsCache::lookup(cacheKey()))
        return respond(200, "application/json", *cached);
    if (!target().credentials.usable())
        return fail(target().credentials.clientError());
    list("/foundation-models", &ModelsExchange::onFoundationModels);
}

QString ModelsExchange::cacheKey() const
{
    const BedrockEndpoint endpoint = controlPlaneFor(target().endpoint);
    return target().name + u'|' + QString::fromUtf8(endpoint.hostHeader()) + u'|' + endpoint.region + u'|' +
           target().credentials.source;
}

void ModelsExchange::list(const QByteArray &encodedPath, void (ModelsExchange::*onPage)(const QJsonObject &))
{
    ++m_pages;
    // Built per provider, so a failover to another region lists that region's models.
    const auto build = [encodedPath](const BackendTarget &provider) {
        UpstreamRequest call;
        call.method = "GET";
        call.encodedPath = encodedPath;
        call.endpoint = controlPlaneFor(provider.endpoint);
        return call;
    };
    UpstreamCall::Handlers handlers;
    handlers.finished = [this, onPage](int status, const QByteArray &body, const QByteArray &errorType,
                                       const std::optional<bedrock::ApiError> &failure) {
        if (failure)
            return fail(*failure);
        if (status != 200)
            return respondWithBedrockError(status, body, errorType);
        (this->*onPage)(QJsonDocument::fromJson(body).object());
    };
    callBedrock(build, std::move(handlers));
}

void ModelsExchange::onFoundationModels(const QJsonObject &page)
{
    for (const QJsonValue &summary : page.value(u"modelSummaries"_s).toArray()) {
        const QJsonObject model = summary.toObject();
        m_models.append(
            modelEntry(model.value(u"modelId"_s).toString(), model.value(u"providerName"_s).toString()));
    }
    list("/inference-profiles", &ModelsExchange::onInferenceProfiles);
}

void ModelsExchange::onInferenceProfiles(const QJsonObject &page)
{
    for (const QJsonValue &summary : page.value(u"inferenceProfileSummaries"_s).toArray())
        m_models.append(modelEntry(summary.toObject().value(u"inferenceProfileId"_s).toString(), {}));
    const QString nextToken = page.value(u"nextToken"_s).toString();
    if (nextToken.isEmpty() || m_pages >= MaximumPages)
        return respondWithList();
    list("/inference-profiles?nextToken=" + QUrl::toPercentEncoding(nextToken),
         &ModelsExchange::onInferenceProfiles);
}

void ModelsExchange::respondWithList()
{
    const QByteArray body = listBody(m_models);
    ModelsCache::store(cacheKey(), body);
    respond(200, "application/json", body);
}

} // namespace quarry::gateway
