// A conversation with every kind of part the transcript shows, for the screenshot tour (which has
// no network) and the tests that check the picture's parts render.
#pragma once

#include "console/Conversation.h"

namespace quarry::ui {

// What a tool-using, reasoning model's answer looks like in the Console. The simulator answers the
// tour's real prompt, but the Console does not offer tools or thinking to it, so this is a fixture.
Conversation sampleConversation();

} // namespace quarry::ui
