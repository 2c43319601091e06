// "Copy as …": a request the console would send, as code a developer pastes into a terminal or
// a script — curl, Python (the SDK that speaks the request's API) or JavaScript.
#pragma once

#include "client/ChatRequest.h"

#include <QString>

namespace quarry::ui {

class CodeSnippets
{
public:
    enum class Language {
        Curl,
        Python,          // openai, anthropic or boto3, whichever speaks the request's API
        JavaScriptSdk,   // the openai SDK (OpenAI chat, Responses); fetch for the other APIs
        JavaScriptFetch, // plain fetch(), any API
    };

    // The same endpoint, body and extra headers as `request`. The SDKs add their own
    // Content-Type, Accept and User-Agent, so only the other headers are passed on.
    static QString generate(Language language, const client::RawRequest &request);
    static QString languageName(Language language, client::ChatApi api);

private:
    static QString python(const client::RawRequest &request);
    static QString javaScriptSdk(const client::RawRequest &request);
    static QString javaScriptFetch(const client::RawRequest &request);
};

} // namespace quarry::ui
