// OpenAI Chat Completions over Bedrock Converse / ConverseStream.
#include "gateway/ChatCompletionExchange.h"

#include "providers/bedrock/BedrockErrorMapper.h"
#include "providers/bedrock/ChatCompletionBuilder.h"
#include "providers/bedrock/ConverseRequestBuilder.h"
#include "providers/bedrock/ModelId.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

QString newCompletionId()
{
    return u"chatcmpl-"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
}

} // namespace

void ChatCompletionExchange::begin()
{
    if (!target().problem.isEmpty())
        return fail({500, u"api_error"_s, u"backend_misconfigured"_s, target().problem});
    const bedrock::AiPolicies &policies = *target().policies;

    // defaults/overrides work on the client's own JSON, before it is read.
    QJsonParseError jsonError;
    QJsonDocument document = QJsonDocument::fromJson(request().body, &jsonError);
    QByteArray body = request().body;
    if (document.isObject()) {
        QJsonObject object = document.object();
        policies.applyDefaultsAndOverrides(object);
        body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    auto parsed = bedrock::parseChatRequest(body);
    if (!parsed.ok())
        return fail(GatewayError::badRequest(u"invalid_request"_s, parsed.error()));
    m_chat = std::move(parsed.value());
    m_chat.model = policies.resolveModelAlias(m_chat.model);
    m_mapping = bedrock::responseMappingFor(m_chat);
    reportDroppedParameters();

    record().model = target().model.isEmpty() ? m_chat.model : target().model;
    record().streamed = m_chat.stream;
    if (record().model.isEmpty()) {
        return fail(GatewayError::badRequest(
            u"model_required"_s,
            u"No model to call: the request's \"model\" is empty and backend %1 does not set "
            "spec.ai.provider.bedrock.model. Set one of them."_s.arg(target().name)));
    }
    if (m_chat.messages.isEmpty())
        return fail(GatewayError::badRequest(u"invalid_request"_s, u"messages: must not be empty"_s));

    QJsonObject converse = bedrock::buildConverseRequest(m_chat);
    if (const auto rejection = policies.guardRequest(converse)) {
        return fail({rejection->statusCode, u"invalid_request_error"_s, u"prompt_guard"_s, rejection->message});
    }

    m_completionId = newCompletionId();
    m_created = QDateTime::currentSecsSinceEpoch();
    // Each provider of a failover group may pin its own model, and so its own cache rules.
    const auto build = [this, converse](const BackendTarget &provider) {
        record().model = provider.model.isEmpty() ? m_chat.model : provider.model;
        QJsonObject body = converse;
        provider.policies->addCachePoints(body, record().model);
        if (!provider.guardrailIdentifier.isEmpty())
            bedrock::AiPolicies::applyGuardrail(body, provider.guardrailIdentifier, provider.guardrailVersion);
        UpstreamRequest call;
        call.encodedPath = "/model/" + bedrock::encodeModelIdForPath(record().model)
                           + (m_chat.stream ? "/converse-stream" : "/converse");
        call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        call.streaming = m_chat.stream;
        call.accept = m_chat.stream ? "application/vnd.amazon.eventstream" : "application/json";
        return call;
    };

    UpstreamCall::Handlers handlers;
    handlers.streamStarted = [this] {
        m_translator.emplace(m_completionId, record().model, m_created, m_chat.includeUsage, m_mapping);
        startClientStream("text/event-stream; charset=utf-8");
    };
    handlers.streamMessage = [this](const bedrock::EventStreamMessage &message) { onStreamMessage(message); };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<GatewayError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

// Fields with no Bedrock meaning are never dropped silently: the client sees them in a header.
void ChatCompletionExchange::reportDroppedParameters()
{
    record().droppedParameters = m_chat.droppedParameters;
    if (!m_chat.droppedParameters.isEmpty())
        addResponseHeader("x-quarry-dropped-params", m_chat.droppedParameters.join(u',').toUtf8());
}

void ChatCompletionExchange::onStreamMessage(const bedrock::EventStreamMessage &message)
{
    if (m_streamFailed)
        return;
    const QString messageType = message.headerString(u":message-type"_s);
    if (messageType == u"exception"_s) {
        const QString type = message.headerString(u":exception-type"_s);
        record().error = bedrock::mapStreamException(type, message.payload).message;
        writeClientStream(m_translator->onException(type, message.payload));
        m_streamFailed = true;
        return;
    }
    if (messageType == u"error"_s)
        return failStream(message.headerString(u":error-code"_s), message.headerString(u":error-message"_s));
    const QString eventType = message.headerString(u":event-type"_s);
    if (eventType == u"contentBlockDelta"_s)
        markFirstToken();
    writeClientStream(m_translator->onEvent(eventType, message.payload));
}

// A failure after the SSE stream began: an error event the SDKs raise, never a quiet [DONE].
void ChatCompletionExchange::failStream(const QString &exceptionType, const QString &message)
{
    startClientStream("text/event-stream; charset=utf-8");
    const QByteArray payload = QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact);
    record().error = message;
    writeClientStream(m_translator->onException(exceptionType, payload));
    m_streamFailed = true;
}

void ChatCompletionExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                        const std::optional<GatewayError> &failure)
{
    if (failure) {
        if (!clientStreamStarted())
            return fail(*failure);
        failStream(u"serviceUnavailableException"_s, failure->message);
        return finishStream();
    }
    if (status != 200) {
        const auto error = bedrock::mapBedrockError(status, errorType, body);
        record().error = error.message;
        return respond(error.status, "application/json", error.toOpenAiJson());
    }
    if (!m_chat.stream)
        return respondWithCompletion(body);
    finishStream();
}

void ChatCompletionExchange::finishStream()
{
    if (!m_streamFailed) {
        const QByteArray done = m_translator->finish();
        // The translator refuses [DONE] for a stream Bedrock never finished.
        if (m_translator->failed())
            record().error = m_translator->error()->message;
        writeClientStream(done);
    }
    record().stopReason = m_translator->stopReason();
    const auto &usage = m_translator->usage();
    record().tokens = {usage.input, usage.output, usage.cacheRead, usage.cacheWrite};
    endClientStream();
}

void ChatCompletionExchange::respondWithCompletion(const QByteArray &converseResponse)
{
    bedrock::CompletionMeta meta;
    meta.id = m_completionId;
    meta.model = record().model;
    meta.created = m_created;
    const bedrock::ChatCompletionBuilder builder(meta, m_mapping);
    auto completion = builder.build(converseResponse);
    if (!completion.ok()) {
        return fail({502, u"api_error"_s, u"bad_upstream_response"_s,
                     u"Bedrock's answer could not be read: "_s + completion.error()});
    }
    record().stopReason = completion->stopReason;
    record().tokens = {completion->usage.input, completion->usage.output, completion->usage.cacheRead,
                       completion->usage.cacheWrite};
    respond(200, "application/json", completion->json);
}

} // namespace quarry::gateway
