// The sample conversation's content: Markdown (heading, emphasis, list, link, table), a code
// block, reasoning, a tool call and its result, and a stats line.
#include "console/SampleConversation.h"

using namespace Qt::StringLiterals;

namespace quarry::ui {

Conversation sampleConversation()
{
    Conversation conversation;
    conversation.title = u"Weather tool demo"_s;
    conversation.turns.append({u"user"_s,
                               u"What should I pack for Oslo this weekend? Show me the code you'd use."_s,
                               {},
                               {},
                               {},
                               {},
                               {}});
    conversation.turns.append(
        {u"assistant"_s,
         u"## Packing for Oslo\n\nThe forecast says **cold and wet**, so:\n\n"
         u"- a *waterproof* jacket\n- warm layers\n- see [yr.no](https://www.yr.no) for updates\n\n"
         u"| Day | High | Rain |\n|-----|------|------|\n| Sat | 3 °C | 80 % |\n| Sun | 5 °C | 40 % |\n\n"
         u"```python\nimport requests\n\nforecast = requests.get(\"https://api.met.no/weatherapi/\", "
         u"timeout=10)\n"
         u"print(forecast.json()[\"properties\"][\"timeseries\"][0])\n```"_s,
         u"The user wants packing advice; I should call the weather tool for Oslo first, then summarise."_s,
         {{u"call_01"_s, u"get_weather"_s, u"{\"city\":\"Oslo\",\"days\":2,\"units\":\"metric\"}"_s}},
         {{u"call_01"_s, u"{\"sat\":{\"high\":3,\"rain\":0.8},\"sun\":{\"high\":5,\"rain\":0.4}}"_s}},
         {},
         u"Tokens: 412 in · 187 out · 599 total  ·  Cost: $0.0040  ·  Stop: tool_calls (Bedrock: tool_use)  "
         u"·  "
         u"Latency 2140 ms · TTFT 380 ms · 106.3 tokens/s"_s});
    return conversation;
}

} // namespace quarry::ui
