// Converse / ConverseStream calls and the relay of Bedrock's event stream.
#include "gateway/ConverseExchange.h"

#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ModelId.h"
#include "providers/bedrock/openai/ConverseRequestBuilder.h"
#include "util/StrictJson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

std::optional<QJsonObject> ConverseExchange::requestObjectWithPolicyFields()
{
    auto object = util::parseJsonBody(request().body);
    if (!object.ok()) {
        fail(bedrock::ApiError::badRequest(u"invalid_request"_s, object.error()));
        return std::nullopt;
    }
    target().policies->applyDefaultsAndOverrides(*object);
    return std::move(*object);
}

std::optional<QByteArray> ConverseExchange::requestBodyWithPolicyFields()
{
    if (!target().policies->setsRequestFields())
        return request().body;
    const auto object = requestObjectWithPolicyFields();
    if (!object)
        return std::nullopt;
    return QJsonDocument(*object).toJson(QJsonDocument::Compact);
}

std::optional<QByteArray> ConverseExchange::converseFor(bedrock::ChatRequest &chat,
                                                        bedrock::ResponseMapping &mapping,
                                                        const QString &emptyMessage)
{
    chat.model = target().policies->resolveModelAlias(chat.model);
    if (target().model.isEmpty() && chat.model.isEmpty()) {
        fail(bedrock::ApiError::badRequest(
            u"model_required"_s,
            u"No model to call: the request's \"model\" is empty and backend %1 does not set "
            "spec.ai.provider.bedrock.model. Set one of them."_s.arg(target().name)));
        return std::nullopt;
    }
    if (chat.messages.isEmpty()) {
        fail(bedrock::ApiError::badRequest(u"invalid_request"_s, emptyMessage));
        return std::nullopt;
    }
    bedrock::ConverseRequest converse = bedrock::buildConverseRequest(chat);
    mapping = std::move(converse.mapping);
    return withPreparedPrompt(converse.body.toJson());
}

std::optional<QByteArray> ConverseExchange::withPreparedPrompt(QByteArray converseJson)
{
    if (const auto rejection = target().policies->preparePrompt(converseJson)) {
        fail(rejection->toApiError());
        return std::nullopt;
    }
    return converseJson;
}

void ConverseExchange::callConverse(const QByteArray &converseJson, const QString &requestModel, bool stream)
{
    m_stream = stream;
    record().streamed = stream;
    if (!target().policies->responseGuard().isEmpty())
        m_responseGuard.emplace(target().policies->responseGuard());
    // Each provider of a failover group may pin its own model, and so its own cache rules.
    const auto build = [this, converseJson, requestModel, stream](const BackendTarget &provider) {
        record().model = provider.model.isEmpty() ? requestModel : provider.model;
        UpstreamRequest call;
        call.body = converseJson;
        provider.policies->addCachePointsAndGuardrail(call.body, record().model, provider.guardrailIdentifier,
                                                      provider.guardrailVersion);
        call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(record().model) +
                           (stream ? "/converse-stream" : "/converse");
        call.streaming = stream;
        call.accept = stream ? "application/vnd.amazon.eventstream" : "application/json";
        return call;
    };
    UpstreamCall::Handlers handlers;
    handlers.streamStarted = [this] {
        m_translation = newStreamTranslation();
        startClientStream("text/event-stream; charset=utf-8");
    };
    handlers.streamMessage = [this](const bedrock::EventStreamMessage &message) { onStreamMessage(message); };
    handlers.streamMessagesRead = [this] { sendTranslated(); };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<bedrock::ApiError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

void ConverseExchange::onStreamMessage(const bedrock::EventStreamMessage &message)
{
    if (m_streamFailed)
        return;
    const QString messageType = message.headerString(u":message-type"_s);
    if (messageType == u"exception"_s) {
        const QString type = message.headerString(u":exception-type"_s);
        record().error = bedrock::mapStreamException(type, message.payload).message;
        m_translated += m_translation->onException(type, message.payload);
        m_streamFailed = true;
        return;
    }
    if (messageType == u"error"_s)
        return failStream(message.headerString(u":error-code"_s), message.headerString(u":error-message"_s));
    const QString eventType = message.headerString(u":event-type"_s);
    if (!m_responseGuard)
        return translateEvent(eventType, message.payload);
    for (const auto &[type, payload] : m_responseGuard->onEvent(eventType, message.payload))
        translateEvent(type, payload);
    if (const auto &rejection = m_responseGuard->rejection())
        failStream(u"validationException"_s, rejection->message);
}

void ConverseExchange::translateEvent(const QString &eventType, const QByteArray &payload)
{
    if (eventType == u"contentBlockDelta"_s)
        markFirstToken();
    m_translated += m_translation->onEvent(eventType, payload);
}

void ConverseExchange::sendTranslated()
{
    writeClientStream(std::exchange(m_translated, {}));
}

// The backend's promptGuard.response masks the answer, or refuses it with the rule's status.
void ConverseExchange::respondWithGuardedAnswer(const QByteArray &converseResponse)
{
    if (!m_responseGuard)
        return respondWithAnswer(converseResponse);
    QJsonObject answer = QJsonDocument::fromJson(converseResponse).object();
    if (const auto rejection = m_responseGuard->guardAnswer(answer))
        return fail(rejection->toApiError());
    respondWithAnswer(QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

// A failure after the stream began: an error event the SDKs raise.
void ConverseExchange::failStream(const QString &exceptionType, const QString &message)
{
    const QByteArray payload =
        QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact);
    record().error = message;
    m_translated += m_translation->onException(exceptionType, payload);
    m_streamFailed = true;
}

void ConverseExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                  const std::optional<bedrock::ApiError> &failure)
{
    if (failure) {
        if (!clientStreamStarted())
            return fail(*failure);
        failStream(u"serviceUnavailableException"_s, failure->message);
        return finishStream();
    }
    if (status != 200)
        return respondWithBedrockError(status, body, errorType);
    if (!m_stream)
        return respondWithGuardedAnswer(body);
    finishStream();
}

void ConverseExchange::finishStream()
{
    sendTranslated(); // what the last read's messages (or a failure) said comes first
    record().tokens = m_translation->usage(); // Bedrock's metadata event came before the end
    if (!m_streamFailed) {
        // A stream's cost is known only now, after its headers: it goes just before the ending, as
        // an SSE comment, which every SSE client skips (the spec's keep-alive line) and `quarry
        // chat` reads. The stream still ends as the API's does ([DONE], message_stop).
        if (const auto cost = answerCostUsd())
            writeClientStream(": x-quarry-cost-usd " + QByteArray::number(*cost, 'f', 8) + "\n\n");
        // The translators refuse a normal ending ([DONE], message_stop) for a stream Bedrock
        // never finished, and say why.
        writeClientStream(m_translation->finish());
        if (const auto failure = m_translation->failure())
            record().error = *failure;
    }
    record().stopReason = m_translation->stopReason();
    streamFinished();
    endClientStream();
}

} // namespace quarry::gateway
