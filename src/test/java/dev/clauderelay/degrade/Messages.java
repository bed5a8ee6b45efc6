package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import io.vertx.core.json.JsonObject;

/** Sample messages for the degrade tests. */
final class Messages {
  private Messages() {}

  static Message text(String text) {
    return new Message(
        new JsonObject(
            """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":3}}
            """
                .formatted(text)));
  }

  /** Every block kind the stream knows, plus one it does not. */
  static Message rich() {
    return new Message(
        new JsonObject(
            """
            {"id":"msg_rich","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[
               {"type":"thinking","thinking":"Let me think.\\nStep 2.","signature":"sig-abc=="},
               {"type":"redacted_thinking","data":"opaque"},
               {"type":"text","text":"Café ☕ — \\"quoted\\" line\\nnext 😀",
                "citations":[{"type":"char_location","cited_text":"x","document_index":0,
                              "start_char_index":0,"end_char_index":1}]},
               {"type":"tool_use","id":"toolu_1","name":"weather",
                "input":{"city":"Paris","days":[1,2],"opts":{"unit":"C"}}},
               {"type":"tool_use","id":"toolu_2","name":"noargs","input":{}},
               {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},
               {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
               {"type":"text","text":""}
             ],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":100,"output_tokens":42,"cache_read_input_tokens":7,
                      "cache_creation_input_tokens":0},
             "container":null}
            """));
  }
}
