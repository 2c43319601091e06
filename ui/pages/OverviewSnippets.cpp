// Snippet text for the Overview page.
#include "pages/OverviewSnippets.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace quarry::ui {

QString OverviewSnippets::origin(const QString &listenAddress)
{
    const qsizetype colon = listenAddress.lastIndexOf(u':');
    QString host = listenAddress.left(colon);
    const QString port = listenAddress.mid(colon + 1);
    host.remove(u'[').remove(u']');
    const QHostAddress address(host);
    if (address.isLoopback() || host.isEmpty())
        host = u"localhost"_s;
    else if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://%1:%2"_s.arg(host, port);
}

QList<Snippet> OverviewSnippets::forRoute(const QString &baseUrl, const QString &model)
{
    const QString curl = uR"(curl %1/v1/chat/completions \
  -H "Content-Type: application/json" \
  -d '{"model": "%2", "messages": [{"role": "user", "content": "Hello"}]}')"_s.arg(baseUrl, model);
    const QString python = uR"(from openai import OpenAI

client = OpenAI(base_url="%1", api_key="unused")
reply = client.chat.completions.create(
    model="%2", messages=[{"role": "user", "content": "Hello"}])
print(reply.choices[0].message.content))"_s.arg(baseUrl, model);
    const QString javascript = uR"(import OpenAI from "openai";

const client = new OpenAI({ baseURL: "%1", apiKey: "unused" });
const reply = await client.chat.completions.create({
  model: "%2", messages: [{ role: "user", content: "Hello" }] });
console.log(reply.choices[0].message.content);)"_s.arg(baseUrl, model);
    // Variable names from each tool's docs: the OpenAI and Anthropic SDKs, Claude Code's LLM-gateway
    // page (code.claude.com/docs/llm-gateway) and the AWS SDKs' service-specific endpoint variable.
    const QString env = uR"(# OpenAI SDKs, aider, Codex-style agents
export OPENAI_BASE_URL=%1
export OPENAI_API_KEY=unused
# Anthropic SDKs, Claude Code
export ANTHROPIC_BASE_URL=%1
export ANTHROPIC_API_KEY=unused
# Claude Code in Bedrock mode (native Bedrock API; Quarry signs)
export CLAUDE_CODE_USE_BEDROCK=1
export ANTHROPIC_BEDROCK_BASE_URL=%1
export CLAUDE_CODE_SKIP_BEDROCK_AUTH=1
# AWS SDKs and the AWS CLI (bedrock-runtime)
export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=%1)"_s.arg(baseUrl);
    return {{u"curl"_s, curl}, {u"OpenAI Python"_s, python}, {u"OpenAI JS"_s, javascript},
            {u"Environment"_s, env}};
}

} // namespace quarry::ui
