// OpenAI Chat Completions carried to Bedrock Converse / ConverseStream and back.
#pragma once

#include "gateway/ConverseExchange.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "providers/bedrock/openai/ResponseMapping.h"

namespace quarry::gateway {

class ChatCompletionExchange : public ConverseExchange
{
    Q_OBJECT
public:
    explicit ChatCompletionExchange(Context context) : ConverseExchange(std::move(context)) {}

    void begin() override;

protected:
    std::unique_ptr<StreamTranslation> newStreamTranslation() override;
    void respondWithAnswer(const QByteArray &converseResponse) override;

private:
    void reportDroppedParameters();

    bedrock::ChatRequest m_chat;
    bedrock::ResponseMapping m_mapping; // tool names and JSON mode to undo in the answer
    QString m_completionId;
    qint64 m_created = 0;
};

} // namespace quarry::gateway
