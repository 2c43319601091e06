// The simulator's embedding models (Titan Text Embeddings v1/v2, Cohere Embed v3/v4) over
// InvokeModel: deterministic unit vectors — the same text always gets the same vector — in each
// model's own answer shape, with Bedrock's X-Amzn-Bedrock-Input-Token-Count header.
#pragma once

#include "http/ResponseWriter.h"
#include "providers/bedrock/openai/Embeddings.h"

namespace quarry::bedrock {

class SimulatorEmbeddings
{
public:
    // Answers, or refuses as Bedrock does (a missing text, dimensions the model cannot give).
    static void send(http::ResponseWriter &writer, const EmbeddingModel &model, const QByteArray &body);
};

} // namespace quarry::bedrock
