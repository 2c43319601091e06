// OpenAI Chat Completions carried to Bedrock Converse / ConverseStream and back.
#pragma once

#include "gateway/ClientExchange.h"
#include "providers/bedrock/ChatStreamTranslator.h"
#include "providers/bedrock/OpenAiChatRequest.h"
#include "providers/bedrock/ResponseMapping.h"

#include <optional>

namespace quarry::gateway {

class ChatCompletionExchange : public ClientExchange
{
    Q_OBJECT
public:
    explicit ChatCompletionExchange(Context context) : ClientExchange(std::move(context)) {}

    void begin() override;

private:
    void onStreamMessage(const bedrock::EventStreamMessage &message);
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<GatewayError> &failure);
    void failStream(const QString &exceptionType, const QString &message);
    void respondWithCompletion(const QByteArray &converseResponse);
    void finishStream();
    void reportDroppedParameters();

    bedrock::ChatRequest m_chat;
    QString m_completionId;
    qint64 m_created = 0;
    bedrock::ResponseMapping m_mapping;
    std::optional<bedrock::ChatStreamTranslator> m_translator;
    bool m_streamFailed = false;
};

} // namespace quarry::gateway
