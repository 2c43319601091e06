// What the OpenAI and Anthropic exchanges share: one Converse or ConverseStream call for the
// request's model, with each provider's cache points and guardrail, and Bedrock's event stream
// relayed through the client API's translator — errors mid-stream included, never a quiet end.
#pragma once

#include "gateway/ClientExchange.h"
#include "util/TokenUsage.h"
#include "providers/bedrock/eventstream/EventStreamMessage.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "providers/bedrock/openai/ResponseMapping.h"
#include "providers/bedrock/converse/ResponseGuard.h"

#include <QJsonObject>

#include <memory>
#include <optional>

namespace quarry::gateway {

class ConverseExchange : public ClientExchange
{
    Q_OBJECT
public:
    // A client API's view of Bedrock's stream (see StreamTranslationOf for the translators).
    class StreamTranslation
    {
    public:
        virtual ~StreamTranslation() = default;
        virtual QByteArray onEvent(const QString &eventType, const QByteArray &payload) = 0;
        virtual QByteArray onException(const QString &exceptionType, const QByteArray &payload) = 0;
        virtual QByteArray finish() = 0;
        virtual std::optional<QString> failure() const = 0; // why the stream did not end well
        virtual QString stopReason() const = 0;             // Bedrock's
        virtual TokenUsage usage() const = 0;
    };

protected:
    using ClientExchange::ClientExchange;

    // The client's body, parsed once, with the backend's policies.ai defaults and overrides
    // applied: they work on the client API's own JSON, before its parser reads it. A body that is
    // not a JSON object gets its 400 here, and nothing is returned.
    std::optional<QJsonObject> requestObjectWithPolicyFields();
    // The same as the body's bytes, for a parser that reads them in place. The client's own body
    // when the backend sets no fields, which is the common case and costs nothing.
    std::optional<QByteArray> requestBodyWithPolicyFields();

    // The OpenAI-shaped chat request (OpenAI chat and Responses clients) checked and translated:
    // model aliases resolved, a model to call, something to answer, the prompt guard passed.
    // Fails the exchange (nullopt) when it cannot be sent; `emptyMessage` says what was empty.
    // The result is the Converse body as JSON text.
    std::optional<QByteArray> converseFor(bedrock::ChatRequest &chat, bedrock::ResponseMapping &mapping,
                                          const QString &emptyMessage);
    // The Converse body after the backend's prompt guard and prompt; nullopt when the guard
    // refused it (the exchange has failed).
    std::optional<QByteArray> withPreparedPrompt(QByteArray converseJson);

    // Calls Bedrock with a Converse body (JSON text) and each provider's cache points and
    // guardrail; the provider's model, when it pins one, wins over `requestModel`.
    void callConverse(const QByteArray &converseJson, const QString &requestModel, bool stream);

    virtual std::unique_ptr<StreamTranslation> newStreamTranslation() = 0;
    // The stream ended and its translation said all it had to (whether it failed or not).
    virtual void streamFinished() {}
    virtual void respondWithAnswer(const QByteArray &converseResponse) = 0;

private:
    void onStreamMessage(const bedrock::EventStreamMessage &message);
    void translateEvent(const QString &eventType, const QByteArray &payload);
    void respondWithGuardedAnswer(const QByteArray &converseResponse);
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<bedrock::ApiError> &failure);
    void failStream(const QString &exceptionType, const QString &message);
    void finishStream();
    void sendTranslated();

    bool m_stream = false;
    std::unique_ptr<StreamTranslation> m_translation;
    // What the messages of the current read translated to, sent in one write when the read's
    // messages are done (sendTranslated): a write per delta was half of a fast stream's CPU.
    QByteArray m_translated;
    bool m_streamFailed = false;
    std::optional<bedrock::ResponseGuard> m_responseGuard; // the backend's promptGuard.response
};

// Adapts a translator with the ChatStreamTranslator / AnthropicStreamTranslator interface.
template <typename Translator> class StreamTranslationOf final : public ConverseExchange::StreamTranslation
{
public:
    template <typename... Args>
    explicit StreamTranslationOf(Args &&...args) : m_translator(std::forward<Args>(args)...)
    {}

    QByteArray onEvent(const QString &type, const QByteArray &payload) override
    {
        return m_translator.onEvent(type, payload);
    }
    QByteArray onException(const QString &type, const QByteArray &payload) override
    {
        return m_translator.onException(type, payload);
    }
    QByteArray finish() override { return m_translator.finish(); }
    std::optional<QString> failure() const override
    {
        return m_translator.failed() ? std::optional(m_translator.error()->message) : std::nullopt;
    }
    QString stopReason() const override { return m_translator.stopReason(); }
    TokenUsage usage() const override { return m_translator.usage(); }
    const Translator &translator() const { return m_translator; }

private:
    Translator m_translator;
};

} // namespace quarry::gateway
