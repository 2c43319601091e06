// Lists the simulator's foundation models and inference profiles the way the bedrock control plane does.
#include "simulator/SimulatorNativeModels.h"

#include "simulator/SimulatorResponses.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

struct Model
{
    QString id;
    QString name;
    QString provider;
};

const QList<Model> &foundationModels()
{
    static const QList<Model> models{
        {u"amazon.titan-text-lite-v1"_s, u"Titan Text G1 - Lite"_s, u"Amazon"_s},
        {u"amazon.nova-lite-v1:0"_s, u"Nova Lite"_s, u"Amazon"_s},
        {u"anthropic.claude-3-5-haiku-20241022-v1:0"_s, u"Claude 3.5 Haiku"_s, u"Anthropic"_s},
        {u"anthropic.claude-3-7-sonnet-20250219-v1:0"_s, u"Claude 3.7 Sonnet"_s, u"Anthropic"_s},
        {u"meta.llama3-1-8b-instruct-v1:0"_s, u"Llama 3.1 8B Instruct"_s, u"Meta"_s},
    };
    return models;
}

const QList<Model> &inferenceProfiles()
{
    static const QList<Model> profiles{
        {u"us.amazon.nova-lite-v1:0"_s, u"US Nova Lite"_s, {}},
        {u"us.anthropic.claude-3-5-haiku-20241022-v1:0"_s, u"US Anthropic Claude 3.5 Haiku"_s, {}},
        {u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s, u"US Anthropic Claude 3.7 Sonnet"_s, {}},
    };
    return profiles;
}

void sendJson(http::ResponseWriter &writer, const QJsonObject &body)
{
    const http::HttpHeaders headers{{"Content-Type"_ba, "application/json"_ba},
                                    {"x-amzn-RequestId"_ba, SimulatorResponses::newRequestId()}};
    writer.respond(200, headers, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QJsonObject summary(const Model &model)
{
    const QString arn = u"arn:aws:bedrock:us-east-1::foundation-model/"_s + model.id;
    return {{u"modelArn"_s, arn},
            {u"modelId"_s, model.id},
            {u"modelName"_s, model.name},
            {u"providerName"_s, model.provider},
            {u"inputModalities"_s, QJsonArray{u"TEXT"_s}},
            {u"outputModalities"_s, QJsonArray{u"TEXT"_s}},
            {u"responseStreamingSupported"_s, true},
            {u"inferenceTypesSupported"_s, QJsonArray{u"ON_DEMAND"_s}},
            {u"modelLifecycle"_s, QJsonObject{{u"status"_s, u"ACTIVE"_s}}}};
}

// A system-defined profile routes to the model its id names after the geography prefix ("us.").
QJsonObject profileSummary(const Model &profile)
{
    const QString model = profile.id.section(u'.', 1);
    const QString modelArn = u"arn:aws:bedrock:us-east-1::foundation-model/"_s + model;
    const QJsonArray models{QJsonObject{{u"modelArn"_s, modelArn}}};
    return {{u"inferenceProfileId"_s, profile.id},
            {u"models"_s, models},
            {u"inferenceProfileName"_s, profile.name},
            {u"inferenceProfileArn"_s,
             QString(u"arn:aws:bedrock:us-east-1:123456789012:inference-profile/"_s + profile.id)},
            {u"status"_s, u"ACTIVE"_s},
            {u"type"_s, u"SYSTEM_DEFINED"_s}};
}

// Opaque to clients: base64 with '=' padding, which must be percent-encoded in the next query.
QString tokenFor(qsizetype offset)
{
    return QString::fromLatin1(QByteArray("offset=" + QByteArray::number(offset)).toBase64());
}

std::optional<qsizetype> offsetOf(const QString &token)
{
    const QByteArray decoded = QByteArray::fromBase64(token.toLatin1());
    bool ok = false;
    const qsizetype offset = decoded.startsWith("offset=") ? decoded.mid(7).toLongLong(&ok) : 0;
    return ok && offset >= 0 ? std::optional<qsizetype>(offset) : std::nullopt;
}

} // namespace

void SimulatorNativeModels::sendFoundationModels(http::ResponseWriter &writer)
{
    QJsonArray summaries;
    for (const Model &model : foundationModels())
        summaries.append(summary(model));
    sendJson(writer, {{u"modelSummaries"_s, summaries}});
}

void SimulatorNativeModels::sendFoundationModel(http::ResponseWriter &writer, const QString &modelId)
{
    for (const Model &model : foundationModels()) {
        if (model.id == modelId)
            return sendJson(writer, {{u"modelDetails"_s, summary(model)}});
    }
    SimulatorResponses::sendError(writer, 404, u"ResourceNotFoundException"_s,
                                  u"The provided model identifier is invalid."_s);
}

void SimulatorNativeModels::sendInferenceProfile(http::ResponseWriter &writer, const QString &profileId)
{
    for (const Model &profile : inferenceProfiles()) {
        if (profile.id == profileId)
            return sendJson(writer, profileSummary(profile));
    }
    SimulatorResponses::sendError(writer, 404, u"ResourceNotFoundException"_s,
                                  u"The specified inference profile %1 was not found."_s.arg(profileId));
}

void SimulatorNativeModels::sendInferenceProfiles(http::ResponseWriter &writer, const QByteArray &query)
{
    const QUrlQuery parameters(QString::fromLatin1(query));
    qsizetype offset = 0;
    if (parameters.hasQueryItem(u"nextToken"_s)) {
        const auto parsed = offsetOf(parameters.queryItemValue(u"nextToken"_s, QUrl::FullyDecoded));
        if (!parsed)
            return SimulatorResponses::sendError(writer, 400, u"ValidationException"_s,
                                                 u"Invalid pagination token"_s);
        offset = *parsed;
    }
    const int pageSize = parameters.hasQueryItem(u"maxResults"_s)
                             ? qBound(1, parameters.queryItemValue(u"maxResults"_s).toInt(), 1000)
                             : DefaultPageSize;
    const QList<Model> &all = inferenceProfiles();
    QJsonArray page;
    for (qsizetype i = offset; i < all.size() && i < offset + pageSize; ++i)
        page.append(profileSummary(all.at(i)));
    QJsonObject body{{u"inferenceProfileSummaries"_s, page}};
    if (offset + pageSize < all.size())
        body.insert(u"nextToken"_s, tokenFor(offset + pageSize));
    sendJson(writer, body);
}

} // namespace quarry::bedrock
